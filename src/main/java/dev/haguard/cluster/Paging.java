package dev.haguard.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Lists in pages of {@link #LIMIT}, as kubectl does ({@code --chunk-size}, default 500): the API server then never
 * builds one response of every pod in the cluster (150,000 at Kubernetes' envelope, hundreds of megabytes), and
 * neither side holds it whole. Informers take the limit through {@code withLimit} (fabric8's Reflector then follows
 * {@code metadata.continue}); one-off lists go through {@link #all}.
 */
public final class Paging {

    /** Objects per page: kubectl's default chunk size. */
    public static final long LIMIT = 500;

    private Paging() {
    }

    /** Every object {@code list} returns, page by page; {@code labelSelector} may be null. */
    public static List<HasMetadata> all(Function<ListOptions, ? extends KubernetesResourceList<?>> list,
            String labelSelector) {
        List<HasMetadata> out = new ArrayList<>();
        String next = null;
        do {
            KubernetesResourceList<?> page = list.apply(new ListOptionsBuilder().withLimit(LIMIT).withContinue(next)
                    .withLabelSelector(labelSelector).build());
            out.addAll(page.getItems());
            next = page.getMetadata() == null ? null : page.getMetadata().getContinue();
        } while (next != null && !next.isEmpty());
        return out;
    }
}

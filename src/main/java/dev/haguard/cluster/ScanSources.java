package dev.haguard.cluster;

import dev.haguard.engine.ApiKind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.ReducedStateItemStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What the background scan judges, held by informers so that a re-scan lists nothing: the kinds {@code ha-guard scan}
 * reads (what the rules declare), kept without what no rule reads (managedFields, and status except where placement
 * and budgets read it: each kind says what it keeps).
 * Only the replica that leads the scan starts them; they stop when it no longer leads.
 */
public final class ScanSources implements AutoCloseable {

    private static final String[] META = {"metadata.uid", "metadata.labels", "metadata.annotations",
            "metadata.ownerReferences", "metadata.creationTimestamp"};

    private final List<SharedIndexInformer<? extends HasMetadata>> informers = new ArrayList<>();
    private final List<VeleroObjects> velero = new ArrayList<>();
    private final CompletableFuture<Void> synced;

    private ScanSources(KubernetesClient client, List<ApiKind> kinds, Duration veleroRecheck) {
        var ser = client.getKubernetesSerialization();
        for (ApiKind kind : kinds) {
            if (kind.optional()) {
                velero.add(new VeleroObjects(client, Velero.context(kind), veleroRecheck));
                continue;
            }
            informers.add(reduced(informer(client, kind.model(), kind.namespaced()), ser,
                    kind.kept().toArray(String[]::new)));
        }
        List<CompletableFuture<?>> started = new ArrayList<>();
        for (SharedIndexInformer<? extends HasMetadata> i : informers) {
            i.exceptionHandler((isStarted, t) -> true);
            started.add(i.start().toCompletableFuture());
        }
        synced = CompletableFuture.allOf(started.toArray(CompletableFuture[]::new));
    }

    /** Informers on {@code kinds}: what a scan lists (StandardRules.listed()). */
    public static ScanSources start(KubernetesClient client, List<ApiKind> kinds) {
        return new ScanSources(client, kinds, ClusterCache.VELERO_RECHECK);
    }

    static ScanSources start(KubernetesClient client, List<ApiKind> kinds, Duration veleroRecheck) {
        return new ScanSources(client, kinds, veleroRecheck);
    }

    private static <T extends HasMetadata> SharedIndexInformer<T> informer(KubernetesClient client, Class<T> model,
            boolean namespaced) {
        var all = client.resources(model);
        return namespaced ? all.inAnyNamespace().withLimit(Paging.LIMIT).runnableInformer(0)
                : all.withLimit(Paging.LIMIT).runnableInformer(0);
    }

    private static <T extends HasMetadata> SharedIndexInformer<T> reduced(SharedIndexInformer<T> informer,
            io.fabric8.kubernetes.client.utils.KubernetesSerialization ser, String... fields) {
        String[] kept = new String[META.length + fields.length];
        System.arraycopy(META, 0, kept, 0, META.length);
        System.arraycopy(fields, 0, kept, META.length, fields.length);
        return informer.itemStore(new ReducedStateItemStore<>(ReducedStateItemStore.NAME_KEY_STATE,
                informer.getApiTypeClass(), ser, kept));
    }

    /** Completes once every informer holds a first full list (Velero's start when discovery finds them). */
    public CompletionStage<Void> synced() {
        return synced;
    }

    /** The kinds whose informer has not listed yet (a missing list/watch permission keeps it so). */
    public List<String> unsynced() {
        return informers.stream().filter(i -> !i.hasSynced()).map(i -> i.getApiTypeClass().getSimpleName()).toList();
    }

    /** Whether Velero's Schedules are served: null while not known yet (or when no rule reads them). */
    public Boolean veleroInstalled() {
        return velero.stream().filter(v -> v.resource().getPlural().equals("schedules")).findFirst()
                .flatMap(VeleroObjects::installed).orElse(null);
    }

    /** How many objects are held now. */
    public int count() {
        return informers.stream().mapToInt(i -> i.getStore().listKeys().size()).sum()
                + velero.stream().mapToInt(v -> v.objects().size()).sum();
    }

    /**
     * Every object held now, to judge as a dump: each built from its reduced state only when the iteration reaches
     * it, so that the caller can let it go before the next (a list of them all would hold a second copy of the
     * cluster). One deleted meanwhile is left out.
     */
    public Iterable<HasMetadata> objects() {
        return () -> java.util.stream.Stream.concat(
                informers.stream().flatMap(i -> i.getStore().listKeys().stream().map(i.getStore()::getByKey)),
                velero.stream().flatMap(v -> v.objects().stream()))
                .filter(java.util.Objects::nonNull).<HasMetadata>map(HasMetadata.class::cast).iterator();
    }

    @Override
    public void close() {
        informers.forEach(SharedIndexInformer::close);
        velero.forEach(VeleroObjects::close);
    }
}

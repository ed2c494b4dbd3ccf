package dev.haguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haguard.cluster.CrdAwareDispatcher;
import dev.haguard.rules.StandardRules;
import dev.haguard.scan.Document;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code ha-guard scan} of a live cluster lists in pages of 500, as kubectl does, keeping the label selector. */
class LiveClusterPagingTest {

    @Test
    void a_live_scan_reads_every_page_with_the_selector() throws Exception {
        CrdAwareDispatcher dispatcher = new CrdAwareDispatcher();
        KubernetesMockServer server = CrdAwareDispatcher.server(dispatcher);
        try (KubernetesClient kube = server.createClient()) {
            for (int i = 0; i < 503; i++) {
                kube.resource(new PodBuilder().withNewMetadata().withName("web-" + i).withNamespace("shop")
                        .addToLabels("app", i < 501 ? "web" : "other").endMetadata().build()).create();
            }

            List<Document> docs = LiveCluster.read(kube, StandardRules.DEFAULT.listed(), "shop", "app=web", n -> { });

            assertThat(docs.stream().filter(d -> d.content().path("kind").asText().equals("Pod"))).hasSize(501);
            List<String> pods = dispatcher.lists().stream().filter(l -> l.startsWith("/api/v1/namespaces/shop/pods?"))
                    .toList();
            assertThat(pods).hasSize(2).allMatch(l -> l.contains("limit=500") && l.contains("labelSelector=app%3Dweb"));
            assertThat(pods.get(1)).contains("continue=500");
        } finally {
            server.destroy();
        }
    }
}

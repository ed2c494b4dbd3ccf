package dev.haguard.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.haguard.engine.ClusterView;
import dev.haguard.rules.StandardRules;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The informers list as kubectl does, in pages of 500 that follow metadata.continue, so that a leader change in a
 * cluster of 150,000 pods asks the API server for 300 pages of pods rather than one response of all of them; and
 * every page reaches the cache. Against the mock API server, paging as a real one does (CrdAwareDispatcher).
 */
class ListPagingTest {

    private final CrdAwareDispatcher dispatcher = new CrdAwareDispatcher();
    private KubernetesMockServer server;
    private KubernetesClient kube;

    @BeforeEach
    void start() {
        server = CrdAwareDispatcher.server(dispatcher);
        kube = server.createClient();
    }

    @AfterEach
    void stop() {
        kube.close();
        server.destroy();
    }

    @Test
    void the_background_scan_lists_pods_in_pages_and_holds_every_one() throws Exception {
        for (int i = 0; i < 1_001; i++) {
            kube.resource(new PodBuilder().withNewMetadata().withName("web-" + i).withNamespace("shop").endMetadata()
                    .build()).create();
        }

        try (ScanSources sources = ScanSources.start(kube, StandardRules.DEFAULT.listed())) {
            sources.synced().toCompletableFuture().get(30, TimeUnit.SECONDS);

            assertThat(sources.of("Pod").stream().map(p -> p.path("metadata").path("name").asText()).distinct())
                    .hasSize(1_001);
        }
        assertThat(lists("/api/v1/pods?")).containsExactly("/api/v1/pods?limit=500",
                "/api/v1/pods?continue=500&limit=500", "/api/v1/pods?continue=1000&limit=500");
        assertThat(dispatcher.lists()).as("every informer's list asks for pages").allMatch(l -> l.contains("limit=500"));
    }

    @Test
    void the_admission_caches_list_in_pages_and_hold_every_workload() throws Exception {
        for (int i = 0; i < 501; i++) {
            kube.resource(new DeploymentBuilder().withNewMetadata().withName("api-" + i).withNamespace("shop")
                    .endMetadata().withNewSpec().withReplicas(2).endSpec().build()).create();
        }

        try (ClusterCache cache = ClusterCache.start(kube, EnumSet.allOf(ClusterView.Need.class))) {
            cache.synced().toCompletableFuture().get(30, TimeUnit.SECONDS);

            // The index of workloads is filled by the informer's event handler, just after the list.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(cache.workloads("shop"))
                    .hasValueSatisfying(w -> assertThat(w).hasSize(501)));
        }
        assertThat(lists("/apis/apps/v1/deployments?")).containsExactly("/apis/apps/v1/deployments?limit=500",
                "/apis/apps/v1/deployments?continue=500&limit=500");
        assertThat(dispatcher.lists()).allMatch(l -> l.contains("limit=500"));
    }

    private List<String> lists(String prefix) {
        return dispatcher.lists().stream().filter(l -> l.startsWith(prefix)).toList();
    }
}

package dev.haguard.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.haguard.engine.ClusterView.Backups;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The server's view of backups: where data lives (claims, StatefulSets with claim templates) and Velero's Schedules,
 * from informers, against the fabric8 mock API server; Velero's CRDs missing at start and installed later.
 */
class ClusterCacheBackupsTest {

    private KubernetesMockServer server;
    private KubernetesClient kube;

    @BeforeEach
    void start() {
        server = CrdAwareDispatcher.server();
        kube = server.createClient();
        for (String ns : new String[] {"shop", "db", "web"}) {
            kube.resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        }
        kube.resource(new PersistentVolumeClaimBuilder().withNewMetadata().withName("data").withNamespace("shop")
                .endMetadata().build()).create();
        kube.resource(new StatefulSetBuilder().withNewMetadata().withName("pg").withNamespace("db").endMetadata()
                .withNewSpec().addNewVolumeClaimTemplate().withNewMetadata().withName("data").endMetadata()
                .endVolumeClaimTemplate().endSpec().build()).create();
    }

    @AfterEach
    void stop() {
        kube.close();
        server.destroy();
    }

    @Test
    void without_velero_the_view_says_so_and_fills_once_the_crds_are_installed() throws Exception {
        try (ClusterCache cache = ClusterCache.start(kube, java.util.EnumSet.allOf(dev.haguard.engine.ClusterView.Need.class),
                Duration.ofMillis(200))) {
            cache.synced().toCompletableFuture().get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> cache.backups().isPresent());
            Backups before = cache.backups().orElseThrow();
            assertThat(before.veleroInstalled()).isFalse();
            assertThat(cache.namespacesWithData()).hasValueSatisfying(ns -> assertThat(ns)
                    .containsExactlyInAnyOrder("shop", "db"));
            assertThat(before.namespaces()).contains("shop", "db", "web");

            CrdAwareDispatcher.install(kube, "velero/velero.io_schedules");
            GenericKubernetesResource nightly = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readValue("""
                    apiVersion: velero.io/v1
                    kind: Schedule
                    metadata: {name: nightly, namespace: velero}
                    spec: {schedule: '0 2 * * *', template: {includedNamespaces: ['*']}}
                    """, GenericKubernetesResource.class);
            kube.resource(nightly).create();
            long installed = System.nanoTime();

            await().atMost(Duration.ofSeconds(60)).until(() -> cache.backups().map(Backups::veleroInstalled)
                    .orElse(false) && cache.backups().get().schedules().size() == 1);
            System.out.printf("Velero's Schedules cached %d ms after the CRD was installed%n",
                    (System.nanoTime() - installed) / 1_000_000);
            assertThat(cache.backups().get().schedules().get(0).path("spec").path("schedule").asText())
                    .isEqualTo("0 2 * * *");

            kube.genericKubernetesResources("velero.io/v1", "Schedule").inNamespace("velero").withName("nightly").delete();
            await().atMost(Duration.ofSeconds(10)).until(() -> cache.backups().get().schedules().isEmpty());
        }
    }

    @Test
    void namespace_annotations_are_read_from_the_cache() {
        kube.namespaces().withName("shop").edit(n -> new NamespaceBuilder(n).editMetadata()
                .addToAnnotations(Map.of("haguard.dev/rpo", "4h")).endMetadata().build());
        try (ClusterCache cache = ClusterCache.start(kube, java.util.EnumSet.allOf(
                dev.haguard.engine.ClusterView.Need.class))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> cache.namespaceAnnotations("shop")
                    .containsKey("haguard.dev/rpo"));
            assertThat(cache.namespaceAnnotations("nowhere")).isEmpty();
            assertThat(Optional.ofNullable(cache.namespaceAnnotations("shop").get("haguard.dev/rpo"))).contains("4h");
        }
    }
}

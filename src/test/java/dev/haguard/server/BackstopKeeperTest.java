package dev.haguard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.haguard.cel.Autoscaled;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The leader keeps the backstop in the cluster (mock API server): the policies bound Deny, each with its binding, and
 * the parameter that names what HPAs scale, rewritten within its 10 s tick of an HPA appearing.
 */
@QuarkusTest
@WithKubernetesTestServer
@TestProfile(BackgroundScanTest.Scanning.class)
class BackstopKeeperTest {

    @KubernetesTestServer
    KubernetesServer server;

    @Test
    void the_leader_writes_the_denying_policies_and_keeps_the_hpa_parameter_current() {
        KubernetesClient kube = server.getClient();
        // The keeper writes every policy, then every binding: wait until the last binding is there.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<GenericKubernetesResource> bindings = bindings(kube);
            assertThat(bindings).isNotEmpty().hasSameSizeAs(kube.genericKubernetesResources(BackstopSync.POLICIES)
                    .withLabel(BackstopSync.LABEL, "true").list().getItems());
            assertThat(bindings).allSatisfy(b -> assertThat(b.getAdditionalProperties().get("spec").toString())
                    .contains("validationActions=[Deny]"));
        });

        kube.resource(new HorizontalPodAutoscalerBuilder().withNewMetadata().withName("web-hpa").withNamespace("shop")
                .endMetadata().withNewSpec().withMinReplicas(2).withMaxReplicas(5).withNewScaleTargetRef()
                .withApiVersion("apps/v1").withKind("Deployment").withName("web").endScaleTargetRef().endSpec().build())
                .create();

        await().atMost(Duration.ofSeconds(25)).untilAsserted(() -> {
            ConfigMap parameter = kube.configMaps().inNamespace("ha-guard").withName(Autoscaled.NAME).get();
            assertThat(parameter).isNotNull();
            assertThat(parameter.getData()).containsEntry("shop_deployments_web", "web-hpa");
        });
    }

    private static List<GenericKubernetesResource> bindings(KubernetesClient kube) {
        return kube.genericKubernetesResources(BackstopSync.BINDINGS).withLabel(BackstopSync.LABEL, "true").list()
                .getItems();
    }
}

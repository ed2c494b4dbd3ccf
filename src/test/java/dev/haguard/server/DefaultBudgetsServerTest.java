package dev.haguard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.RestAssured;
import java.net.URL;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Default PodDisruptionBudgets written by the running server's scan leader on the mock API server, where the policy
 * asks: made for a replicated workload, none for a single replica, never a budget that is not ha-guard's touched, and
 * its own deleted within seconds once the user's budget selects the same pods.
 */
@QuarkusTest
@WithKubernetesTestServer
@TestProfile(DefaultBudgetsServerTest.Leading.class)
class DefaultBudgetsServerTest {

    public static class Leading implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("haguard.policy.watch", "true", "haguard.policy.configmap.namespace", "ha-guard",
                    "haguard.scan.interval", "1h", "haguard.scan.recheck", "1s");
        }
    }

    @KubernetesTestServer
    KubernetesServer server;

    @TestHTTPResource(value = "metrics", management = true)
    URL metricsEndpoint;

    private PodDisruptionBudget budget(String name) {
        return server.getClient().policy().v1().podDisruptionBudget().inNamespace("shop").withName(name).get();
    }

    @Test
    void the_leader_gives_a_replicated_workload_a_budget_and_takes_it_back_when_the_user_adds_one() {
        KubernetesClient kube = server.getClient();
        kube.resource(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata().build())
                .createOr(NonDeletingOperation::update);
        var web = kube.resource(PolicyReportsTest.deployment("shop", "web", 3)).createOr(NonDeletingOperation::update);
        kube.resource(PolicyReportsTest.deployment("shop", "solo", 1)).createOr(NonDeletingOperation::update);
        kube.resource(PolicyReportsTest.deployment("shop", "api", 2)).createOr(NonDeletingOperation::update);
        // A budget of the name ha-guard would give api, not ha-guard's: never replaced, never deleted.
        kube.resource(new PodDisruptionBudgetBuilder().withNewMetadata().withName("ha-guard-deployment-api")
                .withNamespace("shop").endMetadata().withNewSpec().withMinAvailable(new IntOrString(1))
                .withNewSelector().addToMatchLabels("app", "batch").endSelector().endSpec().build()).create();
        kube.resource(new ConfigMapBuilder().withNewMetadata().withName("ha-guard-policies").withNamespace("ha-guard")
                .endMetadata().withData(Map.of("policy.yaml",
                        dev.haguard.rules.disruptionbudgets.DefaultBudgetsTest.ASKED)).build())
                .createOr(NonDeletingOperation::update);

        await().atMost(Duration.ofSeconds(40)).until(() -> budget("ha-guard-deployment-web") != null);
        PodDisruptionBudget ours = budget("ha-guard-deployment-web");
        assertThat(ours.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(ours.getSpec().getSelector().getMatchLabels()).containsEntry("app", "web");
        assertThat(ours.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getUid()).isEqualTo(web.getMetadata().getUid()));
        assertThat(budget("ha-guard-deployment-solo")).as("one replica").isNull();
        assertThat(budget("ha-guard-deployment-api").getSpec().getMinAvailable().getIntVal()).as("not ha-guard's")
                .isEqualTo(1);
        // Counted once the round's writes are all done, a moment after the budget is stored.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(RestAssured.get(metricsEndpoint)
                .asString()).contains("haguard_default_budgets_writes_total{outcome=\"created\"} 1.0"));

        // The user's own budget for web: two budgets on a pod block its eviction, so ha-guard's goes, at the change.
        kube.resource(new PodDisruptionBudgetBuilder().withNewMetadata().withName("web").withNamespace("shop")
                .endMetadata().withNewSpec().withMaxUnavailable(new IntOrString("25%")).withNewSelector()
                .addToMatchLabels("app", "web").endSelector().endSpec().build()).create();

        await().atMost(Duration.ofSeconds(15)).until(() -> budget("ha-guard-deployment-web") == null);
        assertThat(budget("web")).isNotNull();
        assertThat(budget("ha-guard-deployment-api")).isNotNull();
    }
}

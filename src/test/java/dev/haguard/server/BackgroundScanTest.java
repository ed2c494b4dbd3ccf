package dev.haguard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haguard.Fixtures;
import dev.haguard.json.Json;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
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
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The background scan in the running server, against the mock API server: its result on GET /q/scan and as metrics;
 * and every metric the dashboard and the alerts in deploy/examples/monitoring name is one the server exports.
 */
@QuarkusTest
@WithKubernetesTestServer
@TestProfile(BackgroundScanTest.Scanning.class)
class BackgroundScanTest {

    /** A server that leads: the background scan, and the backstop (BackstopKeeperTest shares it). */
    public static class Scanning implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("haguard.policy.watch", "true", "haguard.policy.configmap.namespace", "ha-guard",
                    "haguard.scan.interval", "1h", "haguard.backstop.enabled", "true", "haguard.scan.recheck", "1s");
        }
    }

    @KubernetesTestServer
    KubernetesServer server;

    @TestHTTPResource(value = "/", tls = true)
    URL https;

    @TestHTTPResource(value = "scan", management = true)
    URL scanEndpoint;

    @TestHTTPResource(value = "metrics", management = true)
    URL metricsEndpoint;

    /**
     * A Deployment with a finding in namespace shop, then a policy change (a new {@code mode} for readinessProbes),
     * which makes the leader scan again within seconds instead of waiting for the interval.
     */
    /** The last mode shopAndPolicyChange set: a test that needs a new scan sets another. */
    private static String lastMode = "";

    private void shopAndPolicyChange(String readinessMode) {
        lastMode = readinessMode;
        KubernetesClient kube = server.getClient();
        kube.resource(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata().build())
                .createOr(NonDeletingOperation::update);
        kube.resource(PolicyReportsTest.deployment("shop", "api", 1)).createOr(NonDeletingOperation::update);
        kube.resource(new ConfigMapBuilder().withNewMetadata().withName("ha-guard-policies").withNamespace("ha-guard")
                .endMetadata().withData(Map.of("policy.yaml", "version: 1\ndefaults:\n  readinessProbes: {mode: "
                        + readinessMode + "}\n")).build()).createOr(NonDeletingOperation::update);
    }

    @Test
    void the_leader_scans_at_start_and_after_a_policy_change_and_serves_the_result() throws Exception {
        shopAndPolicyChange("warn");

        // Until a scan has seen the Deployment too: its watch event may come after the namespace's and the policy's.
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> {
            JsonNode result = Json.MAPPER.readTree(RestAssured.get(scanEndpoint).then().statusCode(200).extract()
                    .asString());
            assertThat(result.path("at").asText()).isNotEmpty();
            assertThat(result.path("namespaces")).anySatisfy(ns -> {
                assertThat(ns.path("name").asText()).isEqualTo("shop");
                assertThat(ns.path("findings")).anySatisfy(f -> {
                    assertThat(f.path("rule").asText()).isEqualTo("minReplicas");
                    assertThat(f.path("object").asText()).isEqualTo("Deployment api");
                });
            });
        });
        String metrics = RestAssured.get(metricsEndpoint).asString();
        assertThat(metrics).containsPattern("haguard_scan_findings\\{[^}]*namespace=\"shop\"[^}]*rule=\"minReplicas\"")
                .contains("haguard_scan_leader 1.0", "haguard_scan_readiness{namespace=\"(cluster)\"}")
                .containsPattern("haguard_scan_last_success_timestamp_seconds [1-9]");
    }

    /**
     * Placement through the running server: the leader's informers keep of a Deployment's pods only their node,
     * readiness, claims and owner, and the scan still finds both ready replicas on one node. A third ready pod on
     * another node that is being deleted does not count (its deletionTimestamp is kept). A control plane of one node
     * is found from the Nodes the informers keep.
     */
    @Test
    void where_a_deployments_pods_run_is_judged_from_what_the_informers_keep_of_them() throws Exception {
        KubernetesClient kube = server.getClient();
        for (String node : new String[] {"node-a", "node-b"}) {
            kube.resource(new io.fabric8.kubernetes.api.model.NodeBuilder().withNewMetadata().withName(node)
                    .addToLabels("kubernetes.io/hostname", node).addToLabels("topology.kubernetes.io/zone", "zone-"
                    + node.charAt(5)).endMetadata().build()).createOr(NonDeletingOperation::update);
        }
        var web = kube.resource(PolicyReportsTest.deployment("store", "web", 2)).createOr(NonDeletingOperation::update);
        var rs = kube.resource(new io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder().withNewMetadata()
                .withName("web-7d").withNamespace("store").addNewOwnerReference().withApiVersion("apps/v1")
                .withKind("Deployment").withName("web").withUid(web.getMetadata().getUid()).withController(true)
                .endOwnerReference().endMetadata().withNewSpec().withReplicas(2).endSpec().build())
                .createOr(NonDeletingOperation::update);
        for (String[] pod : new String[][] {{"web-7d-a", "node-a"}, {"web-7d-b", "node-a"}, {"web-7d-c", "node-b"}}) {
            kube.resource(new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata().withName(pod[0])
                    .withNamespace("store").addToFinalizers("example.com/hold").addToLabels("app", "web")
                    .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet").withName("web-7d")
                    .withUid(rs.getMetadata().getUid()).withController(true).endOwnerReference().endMetadata()
                    .withNewSpec().withNodeName(pod[1]).addNewContainer().withName("web").withImage("web:1")
                    .endContainer().endSpec().withNewStatus().addNewCondition().withType("Ready").withStatus("True")
                    .endCondition().endStatus().build()).createOr(NonDeletingOperation::update);
        }
        // A self-managed control plane of one node (status.allocatable is kept for the zones' shares of CPU).
        kube.resource(new io.fabric8.kubernetes.api.model.NodeBuilder().withNewMetadata().withName("cp-1")
                .addToLabels("node-role.kubernetes.io/control-plane", "").addToLabels("topology.kubernetes.io/zone",
                "zone-a").endMetadata().withNewStatus().addToAllocatable("cpu", new io.fabric8.kubernetes.api.model
                .Quantity("2")).endStatus().build()).createOr(NonDeletingOperation::update);
        // Deleted while a finalizer holds it: the API server sets its deletionTimestamp and keeps it.
        kube.pods().inNamespace("store").withName("web-7d-c").delete();
        await().atMost(Duration.ofSeconds(10)).until(() -> kube.pods().inNamespace("store").withName("web-7d-c").get()
                .getMetadata().getDeletionTimestamp() != null);
        shopAndPolicyChange("enforce");

        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> {
            JsonNode result = Json.MAPPER.readTree(RestAssured.get(scanEndpoint).asString());
            assertThat(result.path("namespaces")).anySatisfy(ns -> {
                assertThat(ns.path("name").asText()).isEqualTo("store");
                assertThat(ns.path("findings")).anySatisfy(f -> {
                    assertThat(f.path("rule").asText()).isEqualTo("placement");
                    assertThat(f.path("object").asText()).isEqualTo("Deployment web");
                    assertThat(f.path("check").asText()).isEqualTo("one-node");
                    assertThat(f.path("message").asText()).contains("all 2 ready replicas run on node node-a");
                });
            });
            assertThat(result.path("cluster").path("findings")).anySatisfy(f -> {
                assertThat(f.path("check").asText()).isEqualTo("control-plane-nodes");
                assertThat(f.path("message").asText()).startsWith("1 control-plane node (cp-1): losing it stops the API "
                        + "server");
            });
        });
    }

    /**
     * N+1 by zone through the running server: the informers keep a managed pod's requests, and the leader's scan finds
     * that zone-b has no room for the 4-CPU pod zone-a runs.
     */
    @Test
    void a_zone_whose_pods_the_other_zones_have_no_room_for_is_found_from_what_the_informers_keep() throws Exception {
        KubernetesClient kube = server.getClient();
        for (String[] node : new String[][] {{"big-a", "zone-a", "8", "16Gi"}, {"big-b", "zone-b", "2", "4Gi"}}) {
            kube.resource(new io.fabric8.kubernetes.api.model.NodeBuilder().withNewMetadata().withName(node[0])
                    .addToLabels("topology.kubernetes.io/zone", node[1]).endMetadata().withNewStatus()
                    .addToAllocatable("cpu", new io.fabric8.kubernetes.api.model.Quantity(node[2]))
                    .addToAllocatable("memory", new io.fabric8.kubernetes.api.model.Quantity(node[3])).endStatus()
                    .build()).createOr(NonDeletingOperation::update);
        }
        var batch = kube.resource(PolicyReportsTest.deployment("jobs", "batch", 1)).createOr(NonDeletingOperation::update);
        var rs = kube.resource(new io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder().withNewMetadata()
                .withName("batch-5c").withNamespace("jobs").addNewOwnerReference().withApiVersion("apps/v1")
                .withKind("Deployment").withName("batch").withUid(batch.getMetadata().getUid()).withController(true)
                .endOwnerReference().endMetadata().withNewSpec().withReplicas(1).endSpec().build())
                .createOr(NonDeletingOperation::update);
        kube.resource(new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata().withName("batch-5c-a")
                .withNamespace("jobs").addToLabels("app", "batch").addNewOwnerReference().withApiVersion("apps/v1")
                .withKind("ReplicaSet").withName("batch-5c").withUid(rs.getMetadata().getUid()).withController(true)
                .endOwnerReference().endMetadata().withNewSpec().withNodeName("big-a").addNewContainer()
                .withName("batch").withImage("batch:1").withNewResources().addToRequests("cpu",
                new io.fabric8.kubernetes.api.model.Quantity("4")).addToRequests("memory",
                new io.fabric8.kubernetes.api.model.Quantity("8Gi")).endResources().endContainer().endSpec()
                .withNewStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus("True")
                .endCondition().endStatus().build()).createOr(NonDeletingOperation::update);
        shopAndPolicyChange("enforce".equals(lastMode) ? "warn" : "enforce");

        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> {
            JsonNode result = Json.MAPPER.readTree(RestAssured.get(scanEndpoint).asString());
            assertThat(result.path("cluster").path("findings")).anySatisfy(f -> {
                assertThat(f.path("check").asText()).isEqualTo("zone-capacity");
                // 1 of the pods it evicts: the other tests' pods on node-a ask for nothing, and fit anywhere.
                assertThat(f.path("message").asText()).startsWith("the cluster cannot absorb losing zone zone-a: 1 of "
                        + "the ").contains("would stay Pending: 2 CPU / 4Gi memory short");
            });
        });
    }

    @Test
    void every_metric_the_dashboard_and_the_alerts_name_is_exported() throws Exception {
        // What registers the metrics that appear once used: a denied admission, a policy reload, a finished scan.
        dev.haguard.admission.Https.to(https).body(Fixtures.bytes("statefulset-create-one-replica.validating.json"))
                .post("/validate").then().statusCode(200);
        shopAndPolicyChange("audit");
        await().atMost(Duration.ofSeconds(40)).until(() -> RestAssured.get(metricsEndpoint).asString()
                .contains("haguard_policy_reloads_total") && RestAssured.get(metricsEndpoint).asString()
                .contains("haguard_scan_findings{"));
        String metrics = RestAssured.get(metricsEndpoint).asString();
        Set<String> exported = MonitoringExamples.exported(metrics);
        // The recovery gauges need Velero and namespaces with data: RecoveryMetricsTest checks them.
        Set<String> named = new TreeSet<>(MonitoringExamples.charted());
        named.removeIf(MonitoringExamples::recovery);
        named.addAll(MonitoringExamples.alerted(group -> !group.equals(MonitoringExamples.RECOVERY)));

        assertThat(named).contains("haguard_admission_duration_seconds_bucket", "haguard_scan_findings",
                "haguard_scan_readiness", "haguard_policy_reloads_total");
        assertThat(exported).as("/q/metrics").containsAll(named);
        assertThat(metrics).as("the check label the alerts select on").containsPattern("haguard_scan_findings\\{[^}]*check=");
    }
}

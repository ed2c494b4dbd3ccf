package dev.haguard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.haguard.Fixtures;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The policy ConfigMap against a mock API server in CRUD mode: create, valid update, invalid update, delete,
 * and after each step admissions answer by the right policy. Also the namespace and HPA caches.
 */
@QuarkusTest
@WithKubernetesTestServer
@TestProfile(PolicyConfigMapWatchTest.Watch.class)
class PolicyConfigMapWatchTest {

    public static class Watch implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("haguard.policy.watch", "true", "haguard.policy.configmap.namespace", "ha-guard");
        }
    }

    private static final Duration IN_FORCE_WITHIN = Duration.ofSeconds(2);

    @KubernetesTestServer
    KubernetesServer server;

    @TestHTTPResource(value = "/", tls = true)
    URL https;

    @TestHTTPResource(value = "policy", management = true)
    URL policyEndpoint;

    private boolean oneReplicaStatefulSetAllowed() {
        return dev.haguard.admission.Https.to(https)
                .body(Fixtures.bytes("statefulset-create-one-replica.validating.json")).post("/validate")
                .then().statusCode(200).extract().path("response.allowed");
    }

    private JsonPath policyReport() {
        return RestAssured.get(policyEndpoint).then().statusCode(200).extract().jsonPath();
    }

    private static ConfigMap policy(String yaml) {
        return new ConfigMapBuilder().withNewMetadata().withName("ha-guard-policies").withNamespace("ha-guard")
                .endMetadata().withData(Map.of("policy.yaml", yaml)).build();
    }

    @Test
    void policy_changes_take_effect_without_restart_and_a_broken_one_keeps_the_last_good() {
        KubernetesClient kube = server.getClient();
        assertThat(oneReplicaStatefulSetAllowed()).as("packaged default while no ConfigMap exists").isFalse();

        kube.resource(policy("version: 1\ndefaults:\n  minReplicas: {mode: warn}\n")).create();
        await().atMost(IN_FORCE_WITHIN).until(this::oneReplicaStatefulSetAllowed);
        assertThat(policyReport().getString("source")).isEqualTo("ConfigMap ha-guard/ha-guard-policies (data.policy.yaml)");

        kube.resource(policy("version: 1\ndefaults:\n  minReplicas: {mode: sometimes}\n")).update();
        await().atMost(IN_FORCE_WITHIN).until(() -> policyReport().getString("lastError.message") != null);
        assertThat(policyReport().getString("lastError.message")).contains("line 3", "defaults.minReplicas.mode");
        assertThat(oneReplicaStatefulSetAllowed()).as("last good policy stays in force").isTrue();

        kube.resource(policy("version: 1\ndefaults:\n  minReplicas: {minimum: 1}\n")).update();
        await().atMost(IN_FORCE_WITHIN).until(() -> policyReport().getString("lastError") == null);
        assertThat(oneReplicaStatefulSetAllowed()).isTrue();
        assertThat(policyReport().getInt("policy.defaults.minReplicas.minimum")).isEqualTo(1);

        kube.configMaps().inNamespace("ha-guard").withName("ha-guard-policies").delete();
        await().atMost(IN_FORCE_WITHIN).until(() -> !oneReplicaStatefulSetAllowed());
        assertThat(policyReport().getString("source")).isEqualTo("packaged policies/default.yaml");

        String metrics = RestAssured.get(policyEndpoint.toString().replace("/policy", "/metrics")).asString();
        assertThat(metrics).contains("haguard_policy_reloads_total{result=\"invalid\"} 1.0",
                "haguard_policy_reloads_total{result=\"applied\"} 2.0", "haguard_policy_reloads_total{result=\"deleted\"} 1.0");
    }

    @jakarta.inject.Inject
    dev.haguard.engine.ClusterView cluster;

    @Test
    void namespace_labels_and_autoscalers_come_from_informer_caches() {
        KubernetesClient kube = server.getClient();
        kube.resource(new NamespaceBuilder().withNewMetadata().withName("lab2").addToLabels("tier", "relaxed")
                .endMetadata().build()).create();
        var hpa = kube.resource(new HorizontalPodAutoscalerBuilder().withNewMetadata().withName("db-hpa")
                .withNamespace("lab2").endMetadata().withNewSpec().withMinReplicas(2).withMaxReplicas(5)
                .withNewScaleTargetRef().withApiVersion("apps/v1").withKind("StatefulSet").withName("db")
                .endScaleTargetRef().endSpec().build());
        hpa.create();
        try {
            await().atMost(IN_FORCE_WITHIN).until(() -> cluster.autoscaler("lab2", "StatefulSet", "db")
                    .isPresent());
            assertThat(cluster.namespaceLabels("lab2")).containsEntry("tier", "relaxed");
            assertThat(oneReplicaStatefulSetAllowed()).as("the HPA sizes it; its minReplicas is judged instead").isTrue();
            assertThat(cluster.autoscaled()).as("what the backstop's parameter lists")
                    .hasValueSatisfying(m -> assertThat(m).containsEntry("lab2/StatefulSet/db", "db-hpa"));
        } finally {
            hpa.delete();
        }
        await().atMost(IN_FORCE_WITHIN).until(() -> !oneReplicaStatefulSetAllowed());
    }

    @Test
    void schedulable_nodes_lacking_a_label_come_from_the_node_informer() {
        KubernetesClient kube = server.getClient();
        String zone = "topology.kubernetes.io/zone";
        var zoned = kube.resource(node("worker-a").editMetadata().addToLabels(zone, "a").endMetadata().build());
        var unzoned = kube.resource(node("worker-b").build());
        var controlPlane = kube.resource(node("control-plane").withNewSpec().addNewTaint()
                .withKey("node-role.kubernetes.io/control-plane").withEffect("NoSchedule").endTaint().endSpec().build());
        var cordoned = kube.resource(node("cordoned").withNewSpec().withUnschedulable(true).endSpec().build());
        java.util.List.of(zoned, unzoned, controlPlane, cordoned).forEach(n -> n.create());
        try {
            await().atMost(IN_FORCE_WITHIN).until(() -> cluster.nodesWithout(zone)
                    .equals(java.util.Optional.of(new dev.haguard.engine.ClusterView.Nodes(2, 1))));
            assertThat(cluster.nodesWithout("kubernetes.io/hostname")).contains(new dev.haguard.engine.ClusterView.Nodes(2, 0));

            unzoned.edit(n -> new io.fabric8.kubernetes.api.model.NodeBuilder(n).editMetadata().addToLabels(zone, "b")
                    .endMetadata().build());
            await().atMost(IN_FORCE_WITHIN).until(() -> cluster.nodesWithout(zone)
                    .equals(java.util.Optional.of(new dev.haguard.engine.ClusterView.Nodes(2, 0))));
        } finally {
            java.util.List.of(zoned, unzoned, controlPlane, cordoned).forEach(n -> n.delete());
        }
        await().atMost(IN_FORCE_WITHIN).until(() -> cluster.nodesWithout(zone)
                .equals(java.util.Optional.of(new dev.haguard.engine.ClusterView.Nodes(0, 0))));
    }

    private static io.fabric8.kubernetes.api.model.NodeBuilder node(String name) {
        return new io.fabric8.kubernetes.api.model.NodeBuilder().withNewMetadata().withName(name)
                .addToLabels("kubernetes.io/hostname", name).endMetadata();
    }

    @Test
    void a_budget_created_at_admission_is_judged_against_the_cached_workloads_it_selects() throws Exception {
        KubernetesClient kube = server.getClient();
        var web = kube.resource(new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder().withNewMetadata()
                .withName("web").withNamespace("lab3").endMetadata().withNewSpec().withReplicas(2).withNewSelector()
                .addToMatchLabels("app", "web").endSelector().withNewTemplate().withNewMetadata().addToLabels("app", "web")
                .endMetadata().withNewSpec().addNewContainer().withName("web").withImage("nginx:1.27").endContainer()
                .endSpec().endTemplate().endSpec().build());
        web.create();
        String review = """
                {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {
                  "uid": "pdb-create-1", "kind": {"group": "policy", "version": "v1", "kind": "PodDisruptionBudget"},
                  "resource": {"group": "policy", "version": "v1", "resource": "poddisruptionbudgets"},
                  "namespace": "lab3", "name": "web", "operation": "CREATE",
                  "userInfo": {"username": "alice", "groups": ["system:authenticated"]},
                  "object": {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
                    "metadata": {"name": "web", "namespace": "lab3"},
                    "spec": {"maxUnavailable": 0, "selector": {"matchLabels": {"app": "web"}}}},
                  "dryRun": false}}
                """;
        try {
            await().atMost(IN_FORCE_WITHIN).until(() -> cluster.workloads("lab3").map(List::size).orElse(0) == 1);

            var answer = dev.haguard.admission.Https.to(https).body(review).post("/validate").then().statusCode(200)
                    .extract().jsonPath();

            assertThat(answer.getBoolean("response.allowed")).as("warn mode").isTrue();
            assertThat(answer.getList("response.warnings", String.class)).anySatisfy(w -> assertThat(w)
                    .contains("disruptionBudgets", "allows no voluntary eviction of Deployment web at 2 replicas"));
        } finally {
            web.delete();
        }
    }

    @Test
    void every_answer_during_repeated_reloads_comes_from_exactly_one_policy_generation() throws Exception {
        KubernetesClient kube = server.getClient();
        // Generation A refuses the image and allows 3 replicas; B allows the image and refuses 3 replicas.
        String a = "version: 1\ndefaults:\n  minReplicas: {minimum: 2}\n  imageReferences: {mode: enforce}\n";
        String b = "version: 1\ndefaults:\n  minReplicas: {minimum: 5}\n  imageReferences: {mode: off}\n";
        kube.resource(policy(a)).createOr(r -> r.update());
        com.fasterxml.jackson.databind.node.ObjectNode review = Fixtures.review("deployment-create.validating.json");
        ((com.fasterxml.jackson.databind.node.ObjectNode) review.at("/request/object/spec/template/spec/containers/0"))
                .put("image", "nginx:latest");
        byte[] body = dev.haguard.json.Json.MAPPER.writeValueAsBytes(review);
        java.net.http.HttpClient client = dev.haguard.admission.Https.client();
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.Map<String, Integer> seen = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.List<Thread> senders = new java.util.ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread sender = new Thread(() -> {
                while (running.get()) {
                    try {
                        var response = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(https + "validate"))
                                .version(java.net.http.HttpClient.Version.HTTP_1_1)
                                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                                java.net.http.HttpResponse.BodyHandlers.ofString());
                        assertThat(response.statusCode()).isEqualTo(200);
                        String message = io.restassured.path.json.JsonPath.from(response.body())
                                .getString("response.status.message");
                        boolean image = message != null && message.contains("[imageReferences]");
                        boolean replicas = message != null && message.contains("[minReplicas]");
                        seen.merge(image && !replicas ? "A" : replicas && !image ? "B" : "torn: " + message, 1, Integer::sum);
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }
            });
            sender.start();
            senders.add(sender);
        }
        for (int flip = 0; flip < 20; flip++) {
            kube.resource(policy(flip % 2 == 0 ? b : a)).update();
            Thread.sleep(150);
        }
        running.set(false);
        for (Thread sender : senders) {
            sender.join();
        }
        kube.configMaps().inNamespace("ha-guard").withName("ha-guard-policies").delete();
        await().atMost(IN_FORCE_WITHIN).until(() -> policyReport().getString("source").startsWith("packaged"));

        assertThat(failures).isEmpty();
        assertThat(seen.keySet()).containsExactlyInAnyOrder("A", "B");
        assertThat(seen.values().stream().mapToInt(Integer::intValue).sum()).isGreaterThan(100);
    }
}

package dev.haguard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.haguard.Fixtures;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
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
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The policy ConfigMap against a mock API server in CRUD mode: create, valid update, invalid update, delete,
 * and after each step admissions answer by the right policy. The cluster caches: {@link ClusterStateAtAdmissionTest}.
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

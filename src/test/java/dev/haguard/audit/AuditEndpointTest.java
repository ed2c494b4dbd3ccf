package dev.haguard.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.matchesPattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haguard.Fixtures;
import dev.haguard.admission.Https;
import dev.haguard.json.Json;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The server's audit file: one intact record per admission, no object data anywhere, nothing lost under load. */
@QuarkusTest
@TestProfile(AuditEndpointTest.AuditToFile.class)
public class AuditEndpointTest {

    /** Fresh files per run, so that a second run never counts the first one's records. */
    static final Path AUDIT = Path.of("target/audit-test/audit-" + ProcessHandle.current().pid() + ".log");
    static final Path APP_LOG = Path.of("target/audit-test/app-" + ProcessHandle.current().pid() + ".log");

    /** An audit file, the warm-up on, and a policy file (PolicyFileTest shares this server: one boot fewer). */
    public static class AuditToFile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("haguard.audit.file", AUDIT.toString(), "haguard.audit.max-file-size", "1G",
                    "quarkus.log.file.enabled", "true", "quarkus.log.file.path", APP_LOG.toString(),
                    "quarkus.log.category.\"haguard.audit\".level", "OFF", "haguard.warm-up", "2s",
                    "haguard.policy.file", "src/test/resources/policies/raise-to-three.yaml");
        }
    }

    @TestHTTPResource(value = "/", tls = true)
    URL https;

    @TestHTTPResource(value = "health/ready", management = true)
    URL ready;

    private static List<JsonNode> records() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(AUDIT)) {
            out.add(Json.MAPPER.readTree(line));
        }
        return out;
    }

    @Test
    void every_admission_leaves_one_record_and_no_data_reaches_any_log() throws Exception {
        for (String file : List.of("secret-update.validating.json", "configmap-update.validating.json",
                "configmap-update-marked-immutable.validating.json", "configmap-create-marked-immutable.mutating.json",
                "pod-create-bare.mutating.json")) {
            var answer = Https.to(https).body(Fixtures.bytes(file)).post("/" + Fixtures.webhook(file).path())
                    .then().statusCode(200).extract().jsonPath();
            assertThat(answer.getString("response.auditAnnotations.decision")).isIn("allowed", "denied", "patched");
            String uid = Fixtures.review(file).path("request").path("uid").asText();
            assertThat(records().stream().filter(r -> uid.equals(r.path("uid").asText()))).singleElement()
                    .satisfies(r -> assertThat(r.path("webhook").asText()).isEqualTo(Fixtures.webhook(file).path()));
        }
        Https.to(https).body("{\"broken\": ").post("/validate").then().statusCode(400);

        String audit = Files.readString(AUDIT);
        String app = Files.readString(APP_LOG);
        for (String secret : List.of("bjN3LXMzY3IzdA==", "czNjcjN0LXZhbHVl", "n3w-s3cr3t", "s3cr3t-value")) {
            assertThat(audit).doesNotContain(secret);
            assertThat(app).doesNotContain(secret);
        }
        assertThat(audit).doesNotContain("LOG_LEVEL\":", "last-applied-configuration");
        assertThat(app).doesNotContain("LOG_LEVEL", "last-applied-configuration");
        assertThat(records()).anySatisfy(r -> assertThat(r.path("type").asText()).isEqualTo("malformed"));
        assertThat(AuditVerifier.verify(List.of(AUDIT)).intact()).isTrue();
    }

    @TestHTTPResource(value = "metrics", management = true)
    URL metrics;

    private double shedTotal() {
        return RestAssured.get(metrics).asString().lines().filter(l -> l.startsWith("haguard_admissions_shed_total "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1))).findFirst().orElse(0);
    }

    /**
     * On a busy machine some of these wait past the queue deadline and are shed: answered at once per onError, and
     * recorded as such. Each is still answered and recorded exactly once, and says why it was not judged.
     */
    @Test
    void thousands_of_concurrent_admissions_leave_exactly_one_intact_record_each() throws Exception {
        int requests = 3000;
        double shedBefore = shedTotal();
        HttpClient client = Https.client();
        ObjectNode review = Fixtures.review("pod-create-from-replicaset.mutating.json");
        Semaphore inFlight = new Semaphore(64);
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            ((ObjectNode) review.get("request")).put("uid", "load-" + i);
            HttpRequest request = HttpRequest.newBuilder(URI.create(https + "mutate"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(Json.MAPPER.writeValueAsBytes(review))).build();
            inFlight.acquire();
            calls.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                    .whenComplete((r, e) -> inFlight.release()));
        }
        for (var call : calls) {
            assertThat(call.join().statusCode()).isEqualTo(200);
        }

        Map<String, Integer> perUid = new HashMap<>();
        int shed = 0;
        for (JsonNode r : records()) {
            if (r.path("uid").asText().startsWith("load-")) {
                perUid.merge(r.path("uid").asText(), 1, Integer::sum);
                if (!r.path("decision").asText().equals("patched")) {
                    assertThat(r.path("rules").get(0).path("message").asText()).as("a record neither patched nor shed")
                            .contains("ha-guard is overloaded");
                    shed++;
                }
            }
        }
        assertThat(shedTotal() - shedBefore).as("shed records against the shed counter").isEqualTo(shed);
        assertThat(perUid).hasSize(requests);
        assertThat(perUid.values()).containsOnly(1);
        AuditVerifier.ChainReport report = AuditVerifier.verify(List.of(AUDIT));
        assertThat(report.intact()).as(report.problem()).isTrue();
    }

    @Test
    void a_forged_review_from_any_client_is_answered_and_recorded_with_who_sent_it() throws Exception {
        ObjectNode review = Fixtures.review("deployment-create.validating.json");
        ((ObjectNode) review.get("request")).put("uid", "forged-by-a-pod");
        ((ObjectNode) review.at("/request/userInfo")).put("username", "system:serviceaccount:kube-system:replicaset-controller");

        var answer = Https.to(https).body(review.toString()).post("/validate").then().statusCode(200).extract().jsonPath();

        assertThat(answer.getString("response.auditAnnotations.record")).isEqualTo("forged-by-a-pod");
        assertThat(records()).filteredOn(r -> r.path("uid").asText().equals("forged-by-a-pod")).singleElement()
                .satisfies(r -> {
                    assertThat(r.path("caller").path("address").asText()).isIn("127.0.0.1", "0:0:0:0:0:0:0:1");
                    assertThat(r.path("caller").has("subject")).as("no client certificate asked for by default").isFalse();
                });
    }

    @Test
    void a_request_that_claims_to_be_the_warm_up_is_recorded_like_any_other() throws Exception {
        ObjectNode review = Fixtures.review("pod-create-bare.mutating.json");
        ((ObjectNode) review.get("request")).put("uid", "claims-warm-up");
        Https.to(https).header("x-haguard-warm-up", "0123456789abcdef0123456789abcdef")
                .body(review.toString()).post("/mutate").then().statusCode(200);

        assertThat(records()).anySatisfy(r -> assertThat(r.path("uid").asText()).isEqualTo("claims-warm-up"));
    }

    @Test
    void readiness_waits_for_the_warm_up_which_leaves_no_record() throws Exception {
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> RestAssured.get(ready).then()
                .statusCode(200)
                .body("checks.find { it.name == 'warm-up' }.data.outcome", matchesPattern("[1-9]\\d* reviews in \\d+ ms; .*")));
        assertThat(records()).isNotEmpty()
                .noneMatch(r -> r.path("uid").asText().startsWith("warm-up") || "warm-up".equals(r.path("namespace").asText()));
    }
}

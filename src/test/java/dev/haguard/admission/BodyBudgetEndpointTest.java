package dev.haguard.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haguard.Fixtures;
import dev.haguard.json.Json;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A burst of large reviews must not exhaust the heap: what would overdraw the body budget is refused unread with a
 * clear 503 (the API server then applies the webhook's failurePolicy), counted and audited, and the budget comes
 * back whether an answer was sent or the client went away mid-body.
 */
@QuarkusTest
@TestProfile(BodyBudgetEndpointTest.SmallBudget.class)
class BodyBudgetEndpointTest {

    static final Path AUDIT = Path.of("target/audit-test/budget-" + ProcessHandle.current().pid() + ".log");

    public static class SmallBudget implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("haguard.admission.body-budget", "1M", "haguard.audit.file", AUDIT.toString());
        }
    }

    @TestHTTPResource(value = "/", tls = true)
    URL https;

    @TestHTTPResource(value = "metrics", management = true)
    URL metrics;

    @Test
    void a_review_that_would_overdraw_the_budget_is_refused_unread_until_the_budget_is_back() throws Exception {
        byte[] review = Fixtures.bytes("statefulset-create-one-replica.validating.json");
        try (Socket stalled = Https.tls().getSocketFactory().createSocket("localhost", https.getPort())) {
            // Declares nearly the whole 1 MiB budget, sends a little of it and stalls: the budget holds its full length.
            OutputStream out = stalled.getOutputStream();
            out.write(("POST /validate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 1048000\r\n\r\n{\"apiVersion\":").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            await().atMost(Duration.ofSeconds(5)).until(() -> metric("haguard_body_bytes_held") == 1_048_000);

            HttpResponse<String> refused = post(review);

            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(Json.MAPPER.readTree(refused.body()).path("message").asText())
                    .contains("ha-guard is at its memory budget", "1048000 bytes held", "haguard.admission.body-budget",
                            "failurePolicy");
            assertThat(metric("haguard_refused_requests_total{reason=\"over-budget\"}")).isEqualTo(1);
            JsonNode record = Json.MAPPER.readTree(Files.readAllLines(AUDIT).stream()
                    .filter(l -> l.contains("\"overloaded\"")).reduce((a, b) -> b).orElseThrow());
            assertThat(record.path("path").asText()).isEqualTo("/validate");
            assertThat(record.path("status").asInt()).isEqualTo(503);
            assertThat(record.path("decision").asText()).isEqualTo("failurePolicy");
        }
        // The stalled client went away without its answer: its bytes are given back all the same.
        await().atMost(Duration.ofSeconds(5)).until(() -> metric("haguard_body_bytes_held") == 0);

        HttpResponse<String> judged = post(review);

        assertThat(judged.statusCode()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(judged.body()).at("/response/allowed").asBoolean()).isFalse();
        assertThat(metric("haguard_body_bytes_held")).isZero();
    }

    @Test
    void a_body_without_a_length_counts_as_the_largest_allowed() throws Exception {
        try (Socket chunked = Https.tls().getSocketFactory().createSocket("localhost", https.getPort())) {
            OutputStream out = chunked.getOutputStream();
            out.write(("POST /validate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\ne\r\n{\"apiVersion\":\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();

            await().atMost(Duration.ofSeconds(5)).until(() -> metric("haguard_body_bytes_held") == 6 * 1024 * 1024);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> metric("haguard_body_bytes_held") == 0);
    }

    @Test
    void a_review_larger_than_the_whole_budget_is_judged_when_nothing_else_is_held() throws Exception {
        HttpResponse<String> answer = post(Fixtures.largeConfigMapUpdate());

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(answer.body()).at("/response/allowed").asBoolean()).isTrue();
    }

    private HttpResponse<String> post(byte[] body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(https + "validate"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return Https.client().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private double metric(String name) {
        return RestAssured.get(metrics).asString().lines().filter(l -> l.startsWith(name + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}

package dev.haguard.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haguard.DeployedWebhooks;
import dev.haguard.Fixtures;
import dev.haguard.json.Json;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A flood far above what two cores evaluate within the queue deadline: every request is still answered, with
 * HTTP 200, inside the timeout deploy/ gives the API server; those that waited too long are answered unchecked per
 * onError. Only the flood is timed: the first requests after start are slow for reasons of their own (issue 17).
 */
@QuarkusTest
@TestProfile(LoadSheddingTest.TightDeadline.class)
class LoadSheddingTest {

    public static class TightDeadline implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("haguard.admission.queue-deadline", "20ms", "quarkus.log.category.\"haguard.audit\".level", "OFF");
        }
    }

    @TestHTTPResource(value = "/", tls = true)
    URL https;

    @TestHTTPResource(value = "metrics", management = true)
    URL metrics;

    private static void send(HttpClient client, ObjectNode review, String uid, Semaphore inFlight,
            List<CompletableFuture<HttpResponse<String>>> calls) throws Exception {
        ((ObjectNode) review.get("request")).put("uid", uid);
        HttpRequest request = HttpRequest.newBuilder(URI.create(httpsBase + "validate")).version(HttpClient.Version.HTTP_1_1)
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.MAPPER.writeValueAsBytes(review))).build();
        inFlight.acquire();
        CompletableFuture<HttpResponse<String>> call = client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .whenComplete((r, e) -> inFlight.release());
        if (uid.startsWith("warm-")) {
            call.join();
        } else {
            calls.add(call);
        }
    }

    private static String httpsBase;

    private static double shedTotal(String metrics) {
        return metrics.lines().filter(l -> l.startsWith("haguard_admissions_shed_total "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1))).sum();
    }

    /** The validating webhook's duration histogram: upper bound in seconds to how many were handled within it. */
    private static NavigableMap<Double, Double> buckets(String metrics) {
        NavigableMap<Double, Double> out = new TreeMap<>();
        metrics.lines().filter(l -> l.startsWith("haguard_admission_duration_seconds_bucket{")
                && l.contains("webhook=\"validate\"")).forEach(l -> {
                    Matcher le = LE.matcher(l);
                    if (le.find()) {
                        out.put(le.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le.group(1)),
                                Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)));
                    }
                });
        return out;
    }

    private static final Pattern LE = Pattern.compile("le=\"([^\"]+)\"");

    private static NavigableMap<Double, Double> minus(NavigableMap<Double, Double> after, Map<Double, Double> before) {
        NavigableMap<Double, Double> out = new TreeMap<>();
        after.forEach((le, n) -> out.put(le, n - before.getOrDefault(le, 0.0)));
        return out;
    }

    @Test
    void overload_is_answered_fast_per_on_error_never_with_an_error() throws Exception {
        HttpClient client = Https.client();
        httpsBase = https.toString();
        ObjectNode review = Fixtures.review("statefulset-create-one-replica.validating.json");
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            send(client, review, "warm-" + i, new Semaphore(1), new ArrayList<>());
        }
        // The warm-up itself may be shed (a GC pause longer than the deadline), so count the flood's share only.
        String warm = io.restassured.RestAssured.get(this.metrics).asString();
        double shedBefore = shedTotal(warm);
        NavigableMap<Double, Double> before = buckets(warm);
        // Far more in flight than two cores evaluate within the 20 ms queue deadline.
        Semaphore inFlight = new Semaphore(128);
        for (int i = 0; i < 4000; i++) {
            send(client, review, "flood-" + i, inFlight, calls);
        }
        int shed = 0;
        int judged = 0;
        for (var call : calls) {
            HttpResponse<String> response = call.join();
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode answer = Json.MAPPER.readTree(response.body()).path("response");
            if (answer.path("allowed").asBoolean()) {
                assertThat(answer.path("warnings").get(0).asText()).contains("ha-guard is overloaded", "admitted unchecked");
                shed++;
            } else {
                assertThat(answer.path("status").path("message").asText()).contains("spec.replicas is 1");
                judged++;
            }
        }
        String metrics = io.restassured.RestAssured.get(this.metrics).asString();
        NavigableMap<Double, Double> flood = minus(buckets(metrics), before);
        double all = flood.lastEntry().getValue();
        double timeout = DeployedWebhooks.named("validate.ha-guard.dev").path("timeoutSeconds").asDouble();
        double bound = flood.floorKey(timeout);
        System.out.printf("load shedding: %d shed, %d judged; all answered within %s s (timeoutSeconds %s)%n", shed,
                judged, flood.entrySet().stream().filter(e -> e.getValue() == all).findFirst().orElseThrow().getKey(),
                timeout);

        assertThat(shed).as("requests shed").isPositive();
        assertThat(judged).as("requests judged").isPositive();
        assertThat(shedTotal(metrics) - shedBefore).as("shed counter's rise during the flood").isEqualTo(shed);
        assertThat(all).as("flood requests timed").isEqualTo(calls.size());
        assertThat(all - flood.get(bound))
                .as("flood requests whose handling, queue included, took over %s s, where the API server waits %s s",
                        bound, timeout)
                .isZero();
    }
}

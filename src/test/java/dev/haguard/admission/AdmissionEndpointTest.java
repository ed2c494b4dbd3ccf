package dev.haguard.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.haguard.Fixtures;
import dev.haguard.json.Json;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.vertx.core.CompositeFuture;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@QuarkusTest
class AdmissionEndpointTest {

    @TestHTTPResource(value = "/", tls = true)
    URL https;

    @TestHTTPResource(value = "health/ready", management = true)
    URL ready;

    @TestHTTPResource(value = "metrics", management = true)
    URL metrics;

    static Stream<String> recorded() throws IOException {
        List<String> names = new ArrayList<>();
        expected().fieldNames().forEachRemaining(names::add);
        return names.stream();
    }

    private static JsonNode expected() throws IOException {
        return new YAMLMapper().readTree(AdmissionEndpointTest.class.getResourceAsStream("/admission/expected.yaml"));
    }

    private Response post(String path, byte[] body) {
        return Https.to(https).contentType("application/json").body(body).post(path);
    }

    private static String path(String fixture) {
        return fixture.endsWith(".mutating.json") ? "/mutate" : "/validate";
    }

    @ParameterizedTest
    @MethodSource("recorded")
    void answers_each_recorded_review_over_https_and_the_patch_applies(String file) throws IOException {
        JsonNode expected = expected().get(file);
        ObjectNode review = Fixtures.review(file);

        JsonNode answer = Json.MAPPER.readTree(post(path(file), Fixtures.bytes(file)).then().statusCode(200)
                .contentType(containsString("application/json")).extract().asByteArray());

        assertThat(answer.path("apiVersion").asText()).isEqualTo("admission.k8s.io/v1");
        assertThat(answer.path("kind").asText()).isEqualTo("AdmissionReview");
        JsonNode response = answer.path("response");
        assertThat(response.path("uid").asText()).isEqualTo(review.path("request").path("uid").asText());
        assertThat(response.path("allowed").asBoolean()).isEqualTo(expected.path("allowed").asBoolean());
        if (!expected.path("allowed").asBoolean()) {
            assertThat(response.path("status").path("code").asInt()).isEqualTo(403);
            expected.path("mentions").forEach(w -> assertThat(response.path("status").path("message").asText())
                    .containsIgnoringCase(w.asText()));
        }
        ArrayNode patch = Json.MAPPER.createArrayNode();
        if (response.has("patch")) {
            assertThat(response.path("patchType").asText()).isEqualTo("JSONPatch");
            patch = (ArrayNode) Json.MAPPER.readTree(Base64.getDecoder().decode(response.path("patch").asText()));
        }
        JsonNode stored = Fixtures.patched(review, patch);
        if (expected.has("spread")) {
            List<String> want = new ArrayList<>();
            expected.get("spread").forEach(k -> want.add(k.asText()));
            assertThat(stored.path("spec").path("topologySpreadConstraints").findValuesAsText("topologyKey"))
                    .containsExactlyInAnyOrderElementsOf(want);
        }
        expected.path("sets").fields().forEachRemaining(e -> assertThat(stored.get(e.getKey())).isEqualTo(e.getValue()));
    }

    @Test
    void warnings_reach_kubectl_in_the_response() throws IOException {
        ObjectNode review = Fixtures.review("deployment-create-replicas-omitted-latest-tag.validating.json");
        ((ObjectNode) review.path("request")).put("operation", "UPDATE").set("oldObject", review.path("request").path("object"));

        post("/validate", Json.MAPPER.writeValueAsBytes(review)).then().statusCode(200)
                .body("response.allowed", equalTo(true))
                .body("response.warnings[0]", containsString("minReplicas"))
                .body("response.warnings[1]", containsString(":latest"));
    }

    static Stream<Object[]> malformed() {
        String create = new String(Fixtures.bytes("deployment-create.validating.json"), StandardCharsets.UTF_8);
        return Stream.of(
                new Object[] {"not JSON", "{\"kind\": ", "not valid JSON"},
                new Object[] {"empty body", "", "empty body"},
                new Object[] {"a JSON array", "[]", "must be a JSON object"},
                new Object[] {"v1beta1", create.replace("admission.k8s.io/v1", "admission.k8s.io/v1beta1"),
                        "apiVersion is \"admission.k8s.io/v1beta1\": expected \"admission.k8s.io/v1\""},
                new Object[] {"unknown kind", create.replaceFirst("\"AdmissionReview\"", "\"ConversionReview\""),
                        "kind is \"ConversionReview\": expected \"AdmissionReview\""},
                new Object[] {"no request", "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\"}",
                        "request is missing"},
                new Object[] {"no object", create.replaceFirst("\"object\": \\{", "\"unused\": {"), "request.object is missing"},
                new Object[] {"no uid", create.replaceFirst("\"uid\": \"[^\"]+\"", "\"uid\": \"\""), "request.uid is missing"},
                new Object[] {"wrong type", create.replace("\"replicas\": 3", "\"replicas\": \"three\""),
                        "request.object.spec.replicas"},
                new Object[] {"duplicate key", create.replaceFirst("\"kind\": \"AdmissionReview\",",
                        "\"kind\": \"AdmissionReview\", \"kind\": \"AdmissionReview\","), "a key appears twice"});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void a_malformed_review_gets_400_naming_what_is_wrong(String what, String body, String message) {
        post("/validate", body.getBytes(StandardCharsets.UTF_8)).then().statusCode(400)
                .body("code", equalTo(400))
                .body("message", containsString(message));
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(value = java.net.http.HttpClient.Version.class)
    void a_body_over_the_limit_gets_a_clear_413_on_http_1_1_and_http_2(java.net.http.HttpClient.Version version)
            throws Exception {
        byte[] huge = new byte[7 * 1024 * 1024];
        java.util.Arrays.fill(huge, (byte) ' ');
        HttpRequest request = HttpRequest.newBuilder(https.toURI().resolve("/mutate")).version(version)
                .timeout(java.time.Duration.ofSeconds(20))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(huge)).build();

        HttpResponse<String> response = Https.client().send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.version()).isEqualTo(version);
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(Json.MAPPER.readTree(response.body()).path("message").asText())
                .contains("7340032 bytes is over the limit of 6291456 bytes");
    }

    @ParameterizedTest(name = "{0} bytes of annotation")
    @org.junit.jupiter.params.provider.ValueSource(ints = {0, 200_000})
    void more_concurrent_http2_streams_than_workers_on_one_connection_are_all_answered(int padding) throws Exception {
        // The API server multiplexes its admissions over one HTTP/2 connection; the worker pool has 32 threads.
        // Vert.x's client sends streams the way Go's does, all at once (the JDK client never showed the problem).
        // Bodies above quarkus.rest.input-buffer-size would again be read by blocked workers: hence the large case.
        Vertx vertx = Vertx.vertx();
        try {
            io.vertx.core.http.HttpClient client = vertx.createHttpClient(new HttpClientOptions()
                    .setProtocolVersion(HttpVersion.HTTP_2).setUseAlpn(true).setSsl(true)
                    .setTrustOptions(new PemTrustOptions().addCertPath(Https.CA.toString()))
                    .setHttp2MultiplexingLimit(256), new PoolOptions().setHttp2MaxSize(1));
            ObjectNode pod = Fixtures.review("pod-create-from-replicaset.mutating.json");
            ((ObjectNode) pod.at("/request/object/metadata")).putObject("annotations").put("padding", "x".repeat(padding));
            Buffer review = Buffer.buffer(Json.MAPPER.writeValueAsBytes(pod));
            List<Future<Buffer>> answers = new ArrayList<>();
            for (int i = 0; i < 256; i++) {
                answers.add(client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("localhost")
                                .setPort(https.getPort()).setURI("/mutate").putHeader("Content-Type", "application/json")
                                .setIdleTimeout(20_000))
                        .compose(request -> request.send(review))
                        .compose(response -> response.statusCode() == 200 && response.version() == HttpVersion.HTTP_2
                                ? response.body()
                                : Future.failedFuture(response.version() + " " + response.statusCode())));
            }
            CompositeFuture all = Future.all(answers).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            for (int i = 0; i < all.size(); i++) {
                assertThat(Json.MAPPER.readTree(all.<Buffer>resultAt(i).getBytes()).at("/response/allowed").asBoolean())
                        .isTrue();
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(value = java.net.http.HttpClient.Version.class)
    void a_review_as_large_as_the_api_server_sends_is_admitted_on_http_1_1_and_http_2(
            java.net.http.HttpClient.Version version) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(https.toURI().resolve("/validate")).version(version)
                .timeout(java.time.Duration.ofSeconds(20)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Fixtures.largeConfigMapUpdate())).build();

        HttpResponse<String> response = Https.client().send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.version()).isEqualTo(version);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(response.body()).at("/response/allowed").asBoolean()).isTrue();
    }

    @AfterEach
    void server_stays_healthy() {
        RestAssured.get(ready).then().statusCode(200)
                .body("status", equalTo("UP"));
    }

    @Test
    void admissions_are_counted_on_the_management_port() {
        post("/validate", Fixtures.bytes("statefulset-create-one-replica.validating.json")).then().statusCode(200);

        String scraped = RestAssured.get(metrics).then().statusCode(200)
                .extract().asString();
        assertThat(scraped).contains("haguard_admissions_total{decision=\"denied\",kind=\"StatefulSet\","
                + "operation=\"CREATE\",webhook=\"validate\"}");
        assertThat(scraped).contains("haguard_rule_outcomes_total{outcome=\"deny\",rule=\"minReplicas\"}");
    }

    @Test
    void the_benchmark_references_exist_only_in_the_bench_profile() {
        byte[] review = Fixtures.bytes("pod-create-from-replicaset.mutating.json");
        post("/bench/baseline", review).then().statusCode(404);
        post("/bench/baseline/decoded", review).then().statusCode(404);
    }
}

package dev.haguard.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haguard.Fixtures;
import dev.haguard.json.Json;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * haguard.admission.client-auth required: only a client certificate from the trusted CA with an allowed subject
 * gets an answer and a record; anything else gets neither, and what reaches ha-guard is counted. The CA bundle is
 * re-read like the serving certificate.
 */
@QuarkusTest
@TestProfile(MutualTlsTest.Required.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MutualTlsTest {

    static final Path DIR = Path.of("target/mtls-test");
    static final Path AUDIT = DIR.resolve("audit.log");

    public static class Required implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Process p = new ProcessBuilder("bash", "src/test/resources/mtls/generate.sh", DIR.toString()).inheritIO()
                        .start();
                if (p.waitFor() != 0) {
                    throw new IllegalStateException("src/test/resources/mtls/generate.sh failed (needs openssl)");
                }
                Files.deleteIfExists(AUDIT);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return Map.of("haguard.admission.client-auth", "required",
                    "quarkus.tls.https.trust-store.pem.certs", DIR.resolve("client-ca.crt").toString(),
                    "quarkus.tls.https.reload-period", "1s",
                    "haguard.admission.allowed-subjects", "CN=kube-apiserver,O=system; CN=other-apiserver",
                    "haguard.audit.file", AUDIT.toString(),
                    "haguard.warm-up", "2s");
        }
    }

    @TestHTTPResource(value = "/", tls = true)
    URL https;

    @TestHTTPResource(value = "metrics", management = true)
    URL metrics;

    @TestHTTPResource(value = "health/ready", management = true)
    URL ready;

    private static HttpClient as(String client) throws Exception {
        KeyManagerFactory keys = null;
        if (client != null) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(DIR.resolve(client + ".p12"))) {
                store.load(in, "changeit".toCharArray());
            }
            keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, "changeit".toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        KeyStore server = KeyStore.getInstance(KeyStore.getDefaultType());
        server.load(null, null);
        try (InputStream in = Files.newInputStream(Https.CA)) {
            server.setCertificateEntry("server-ca", java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(in));
        }
        trust.init(server);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private HttpResponse<String> post(String client, String uid) throws Exception {
        ObjectNode review = Fixtures.review("deployment-create.validating.json");
        ((ObjectNode) review.get("request")).put("uid", uid);
        return as(client).send(HttpRequest.newBuilder(URI.create(https + "validate")).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.MAPPER.writeValueAsBytes(review))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static List<JsonNode> records() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(AUDIT)) {
            out.add(Json.MAPPER.readTree(line));
        }
        return out;
    }

    private String metrics() {
        return RestAssured.get(metrics).asString();
    }

    @Test
    @Order(1)
    void the_api_servers_certificate_is_answered_and_recorded_with_its_subject() throws Exception {
        HttpResponse<String> answer = post("apiserver", "from-the-apiserver");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(records()).filteredOn(r -> r.path("uid").asText().equals("from-the-apiserver")).singleElement()
                .satisfies(r -> assertThat(r.path("caller").path("subject").asText())
                        .isEqualTo("CN=kube-apiserver,O=system"));
    }

    @Test
    @Order(2)
    void a_forged_review_without_a_certificate_gets_no_answer_and_no_record() throws Exception {
        assertThatThrownBy(() -> post(null, "forged-no-certificate")).isInstanceOf(IOException.class);

        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> metrics()
                .contains("haguard_refused_callers_total{reason=\"no-certificate\"}"));
        assertThat(uids()).doesNotContain("forged-no-certificate");
    }

    @Test
    @Order(3)
    void a_trusted_certificate_with_a_subject_not_allowed_gets_no_answer_and_no_record() throws Exception {
        assertThatThrownBy(() -> post("intruder", "forged-intruder")).isInstanceOf(IOException.class);

        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> metrics()
                .contains("haguard_refused_callers_total{reason=\"subject-not-allowed\"}"));
        assertThat(uids()).doesNotContain("forged-intruder");
    }

    @Test
    @Order(4)
    void a_certificate_from_another_ca_is_refused_until_the_ca_bundle_names_that_ca() throws Exception {
        assertThatThrownBy(() -> post("foreign", "foreign-before")).isInstanceOf(IOException.class);
        assertThat(uids()).doesNotContain("foreign-before");

        Files.writeString(DIR.resolve("client-ca.crt"), Files.readString(DIR.resolve("trusted-ca.crt"))
                + Files.readString(DIR.resolve("other-ca.crt")));

        Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> post("foreign", "foreign-after").statusCode() == 200);
        assertThat(uids()).contains("foreign-after");
    }

    @Test
    @Order(5)
    void the_warm_up_reaches_its_own_server_without_a_client_certificate() {
        // The README promises it: its requests carry a token only this process knows.
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> RestAssured.get(ready).then()
                .statusCode(200).body("checks.find { it.name == 'warm-up' }.data.outcome",
                        org.hamcrest.Matchers.matchesPattern("[1-9]\\d* reviews in \\d+ ms; .*")));
    }

    private static List<String> uids() throws IOException {
        return records().stream().map(r -> r.path("uid").asText()).toList();
    }
}

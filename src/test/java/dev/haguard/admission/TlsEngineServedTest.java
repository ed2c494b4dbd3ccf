package dev.haguard.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haguard.Fixtures;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The running server, not only the customizer: Quarkus applies it, and reviews are answered over HTTP/2 through it. */
@QuarkusTest
class TlsEngineServedTest {

    @TestHTTPResource(value = "/", tls = true)
    URL https;

    @Inject
    TlsEngine engine;

    @Test
    void the_admission_port_serves_http2_through_boringssl() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(https.toURI().resolve("/mutate"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Fixtures.bytes("pod-create-bare.mutating.json"))).build();

        HttpResponse<String> response = Https.client().send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(engine.serving()).isEqualTo("BoringSSL (netty-tcnative)");
        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"allowed\":true");
    }
}

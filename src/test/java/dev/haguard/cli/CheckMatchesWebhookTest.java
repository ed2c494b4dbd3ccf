package dev.haguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haguard.Fixtures;
import dev.haguard.admission.Https;
import dev.haguard.json.Json;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** check and the webhook share one code path: the same recorded request gets the same answer from both. */
@QuarkusTest
class CheckMatchesWebhookTest {

    @TestHTTPResource(value = "/", tls = true)
    URL https;

    static Stream<String> fixtures() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("src/test/resources/admission"))) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void check_answers_a_recorded_review_as_the_webhook_does(String file) throws Exception {
        String webhook = Fixtures.webhook(file).path();
        JsonNode http = Json.MAPPER.readTree(Https.to(https).body(Fixtures.bytes(file)).post("/" + webhook)
                .then().statusCode(200).extract().asByteArray()).path("response");

        CheckRun run = CheckRun.of("--webhook", webhook, "-o", "json", "src/test/resources/admission/" + file);
        JsonNode offline = Json.MAPPER.readTree(run.out()).get(0).path(webhook);

        assertThat(offline.path("allowed").asBoolean()).isEqualTo(http.path("allowed").asBoolean());
        assertThat(offline.path("message").asText()).isEqualTo(http.path("status").path("message").asText(""));
        assertThat(offline.path("warnings")).isEqualTo(http.has("warnings") ? http.path("warnings")
                : Json.MAPPER.createArrayNode());
        JsonNode patch = http.has("patch") ? Json.MAPPER.readTree(Base64.getDecoder().decode(http.path("patch").asText()))
                : Json.MAPPER.createArrayNode();
        assertThat(offline.path("patch")).isEqualTo(patch);
    }
}

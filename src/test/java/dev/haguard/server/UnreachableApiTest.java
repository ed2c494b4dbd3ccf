package dev.haguard.server;

import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import java.net.URL;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** With the API server unreachable, ha-guard still starts, on the packaged default, and is ready. */
@QuarkusTest
@TestProfile(UnreachableApiTest.NoApiServer.class)
class UnreachableApiTest {

    public static class NoApiServer implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("haguard.policy.watch", "true", "haguard.policy.sync-timeout", "1s",
                    "quarkus.kubernetes-client.api-server-url", "https://127.0.0.1:1",
                    "quarkus.kubernetes-client.connection-timeout", "PT0.5S");
        }
    }

    @TestHTTPResource(value = "health/ready", management = true)
    URL ready;

    @Test
    void runs_on_the_packaged_default_and_is_ready() {
        // ready once the warm-up has run too, which the policy does not wait for
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> RestAssured.get(ready).then()
                .statusCode(200).body("status", equalTo("UP"))
                .body("checks.find { it.name == 'policy' }.data.source", equalTo("packaged policies/default.yaml")));
    }
}

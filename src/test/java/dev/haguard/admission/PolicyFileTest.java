package dev.haguard.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haguard.Fixtures;
import dev.haguard.json.Json;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** haguard.policy.file replaces the packaged default policy. */
@QuarkusTest
@TestProfile(dev.haguard.audit.AuditEndpointTest.AuditToFile.class)
class PolicyFileTest {

    @TestHTTPResource(value = "/", tls = true)
    URL https;

    @TestHTTPResource(value = "health/ready", management = true)
    URL ready;

    @Test
    void the_configured_policy_file_is_the_one_in_force() throws Exception {
        // Not the recorded postgres image: a database is never raised (its fix is replication, not copies).
        com.fasterxml.jackson.databind.node.ObjectNode review = Fixtures.review("statefulset-create-one-replica.validating.json");
        ((com.fasterxml.jackson.databind.node.ObjectNode) review.at("/request/object/spec/template/spec/containers/0"))
                .put("image", "registry.example/api:1.4.2");

        String patch = Https.to(https).body(Json.MAPPER.writeValueAsBytes(review)).post("/mutate").then().statusCode(200)
                .body("response.allowed", equalTo(true)).extract().path("response.patch");

        JsonNode stored = Fixtures.patched(review,
                (com.fasterxml.jackson.databind.node.ArrayNode) Json.MAPPER.readTree(Base64.getDecoder().decode(patch)));
        assertThat(stored.path("spec").path("replicas").asInt()).isEqualTo(3);
        io.restassured.RestAssured.get(ready).then().body("checks.find { it.name == 'policy' }.data.source",
                equalTo("file src/test/resources/policies/raise-to-three.yaml"));
    }
}

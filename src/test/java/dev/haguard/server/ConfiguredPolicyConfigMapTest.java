package dev.haguard.server;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haguard.Fixtures;
import dev.haguard.admission.Https;
import dev.haguard.json.Json;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import java.net.URL;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A policy ConfigMap configured under another namespace, name and key is the one the webhook judges. */
@QuarkusTest
@TestProfile(ConfiguredPolicyConfigMapTest.Elsewhere.class)
class ConfiguredPolicyConfigMapTest {

    public static class Elsewhere implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("haguard.policy.configmap.namespace", "platform", "haguard.policy.configmap.name", "ha-policy",
                    "haguard.policy.configmap.key", "rules.yaml");
        }
    }

    private static final String BROKEN = "version: 1\ndefaults: {minReplicas: {minimum: 0}}\n";

    @TestHTTPResource(value = "/", tls = true)
    URL https;

    @TestHTTPResource(value = "policy", management = true)
    URL policyEndpoint;

    private static byte[] configMapCreate(String namespace, String name, String key) throws Exception {
        ObjectNode review = Fixtures.review("configmap-create.validating.json");
        ObjectNode request = (ObjectNode) review.get("request");
        request.put("namespace", namespace).put("name", name);
        ObjectNode object = (ObjectNode) request.get("object");
        ((ObjectNode) object.get("metadata")).put("namespace", namespace).put("name", name);
        object.putObject("data").put(key, BROKEN);
        return Json.MAPPER.writeValueAsBytes(review);
    }

    @Test
    void the_configured_configmap_is_judged_as_the_policy_document() throws Exception {
        Https.to(https).body(configMapCreate("platform", "ha-policy", "rules.yaml")).post("/validate").then()
                .statusCode(200).body("response.allowed", equalTo(false))
                .body("response.status.message", containsString("[policyDocument] invalid policy"));
    }

    @Test
    void the_default_location_is_an_ordinary_configmap_then() throws Exception {
        Https.to(https).body(configMapCreate("ha-guard", "ha-guard-policies", "policy.yaml")).post("/validate").then()
                .statusCode(200).body("response.allowed", equalTo(true));
    }

    @Test
    void the_policy_endpoint_names_the_configured_configmap() {
        RestAssured.get(policyEndpoint).then().statusCode(200)
                .body("configMap", equalTo("ConfigMap platform/ha-policy (data.rules.yaml)"));
    }
}

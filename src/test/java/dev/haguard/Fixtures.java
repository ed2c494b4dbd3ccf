package dev.haguard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haguard.codec.ReviewCodec;
import dev.haguard.engine.Admission;
import dev.haguard.engine.Webhook;
import dev.haguard.json.Json;
import io.fabric8.zjsonpatch.JsonPatch;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The recorded AdmissionReviews in src/test/resources/admission and what to do with them. */
public final class Fixtures {

    private Fixtures() {
    }

    public static byte[] bytes(String file) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/admission/" + file)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + file);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ObjectNode review(String file) {
        try {
            return (ObjectNode) Json.MAPPER.readTree(bytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A ConfigMap UPDATE near the largest the API server sends: object and oldObject of about 1.4 MB each. */
    public static byte[] largeConfigMapUpdate() {
        ObjectNode review = review("configmap-update.validating.json");
        String big = "x".repeat(1_400_000);
        ((ObjectNode) review.at("/request/object/data")).put("blob", big);
        ((ObjectNode) review.at("/request/oldObject/data")).put("blob", big);
        try {
            return Json.MAPPER.writeValueAsBytes(review);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Admission admission(String file) {
        return ReviewCodec.read(bytes(file));
    }

    public static Admission admission(JsonNode review) {
        try {
            return ReviewCodec.read(Json.MAPPER.writeValueAsBytes(review));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The webhook a fixture was recorded for, from its name: NAME.mutating.json or NAME.validating.json. */
    public static Webhook webhook(String file) {
        return file.endsWith(".mutating.json") ? Webhook.MUTATE : Webhook.VALIDATE;
    }

    /** The review's object with the patch applied, as the API server would store it. */
    public static JsonNode patched(JsonNode review, ArrayNode patch) {
        return JsonPatch.apply(patch, review.path("request").path("object"));
    }

    /** The same review, asking about {@code object} instead (what a reinvocation or second call sends). */
    public static ObjectNode withObject(JsonNode review, JsonNode object) {
        ObjectNode copy = review.deepCopy();
        ((ObjectNode) copy.get("request")).set("object", object);
        return copy;
    }
}

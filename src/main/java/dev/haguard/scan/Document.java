package dev.haguard.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haguard.json.Json;
import dev.haguard.json.Yaml;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * One object to judge, and where it was found: {@code origin} is its YAML document, {@code prefix} its path in it;
 * {@code inFolder} when it was found by walking a directory, where an object that cannot be judged is skipped with a
 * note rather than failing the run.
 */
public record Document(String source, JsonNode content, Yaml.Document origin, String prefix, boolean inFolder) {

    public Document(String source, JsonNode content, Yaml.Document origin, String prefix) {
        this(source, content, origin, prefix, false);
    }

    /** An object read from the API server: named by kind and name, without managedFields (never judged). */
    public static Document of(HasMetadata object) {
        ObjectNode content = (ObjectNode) Json.tree(object);
        content.put("apiVersion", object.getApiVersion()).put("kind", object.getKind());
        return of(content);
    }

    /** An object read from the API server as JSON (with its apiVersion and kind), named by kind and name. */
    public static Document of(JsonNode object) {
        JsonNode meta = object.path("metadata");
        if (meta instanceof ObjectNode m) {
            m.remove("managedFields");
        }
        String source = object.path("kind").asText() + " " + (meta.path("namespace").asText("").isEmpty() ? ""
                : meta.path("namespace").asText() + "/") + meta.path("name").asText();
        return new Document(source, object, Yaml.Document.unwritten(object), "");
    }

    int line() {
        return origin.position(prefix).line();
    }

    public String where() {
        return source + ":" + line();
    }

    Document withApiVersion(String apiVersion) {
        return new Document(source, ((ObjectNode) content.deepCopy()).put("apiVersion", apiVersion), origin, prefix,
                inFolder);
    }

    /** Where a field of this object ({@code spec.replicas}) was written. */
    String where(String path) {
        return source + ":" + origin.position(prefix.isEmpty() ? path : prefix + "." + path).line();
    }
}

package dev.haguard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** The webhooks as deploy/base/webhooks.yaml registers them with the API server. */
public final class DeployedWebhooks {

    private DeployedWebhooks() {
    }

    /** The webhook entry with that name, e.g. validate.ha-guard.dev. */
    public static JsonNode named(String name) {
        try (var docs = new YAMLMapper().readerFor(JsonNode.class)
                .<JsonNode>readValues(Path.of("deploy/base/webhooks.yaml").toFile())) {
            for (JsonNode doc : docs.readAll()) {
                for (JsonNode hook : doc.path("webhooks")) {
                    if (hook.path("name").asText().equals(name)) {
                        return hook;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError("no webhook " + name + " in deploy/base/webhooks.yaml");
    }
}

package dev.haguard.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * deploy/base/generated.yaml is what quarkus-kubernetes generates from application.properties, unedited.
 * The generator does not keep the order of labels and ports from one build to the next, so the comparison
 * ignores order; anything else that differs is drift.
 */
class DeployManifestsIT {

    @Test
    void the_kept_copy_matches_what_the_build_generates() throws Exception {
        List<JsonNode> generated = documents(Path.of("target/kubernetes/kubernetes.yml"));
        List<JsonNode> kept = documents(Path.of("deploy/base/generated.yaml"));

        assertThat(kept).as("deploy/base/generated.yaml is stale: after ./mvnw package, "
                + "cp target/kubernetes/kubernetes.yml deploy/base/generated.yaml").containsExactlyInAnyOrderElementsOf(generated);
    }

    private static List<JsonNode> documents(Path file) throws Exception {
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = new YAMLMapper().readerFor(JsonNode.class).readValues(file.toFile())) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isNull()) {
                    docs.add(unordered(doc));
                }
            }
        }
        return docs;
    }

    /** Objects compare without regard to key order already; lists are sorted here. */
    private static JsonNode unordered(JsonNode node) {
        if (node instanceof ObjectNode o) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            o.fields().forEachRemaining(e -> copy.set(e.getKey(), unordered(e.getValue())));
            return copy;
        }
        if (node instanceof ArrayNode a) {
            List<JsonNode> items = new ArrayList<>();
            a.forEach(item -> items.add(unordered(item)));
            items.sort(Comparator.comparing(JsonNode::toString));
            return JsonNodeFactory.instance.arrayNode().addAll(items);
        }
        return node;
    }
}

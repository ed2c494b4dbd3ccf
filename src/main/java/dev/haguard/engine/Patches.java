package dev.haguard.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.zjsonpatch.DiffFlags;
import io.fabric8.zjsonpatch.JsonDiff;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.Map;

/** The one place that turns "original vs changed copy" into RFC 6902 operations. */
final class Patches {

    private static final EnumSet<DiffFlags> READABLE =
            EnumSet.of(DiffFlags.OMIT_MOVE_OPERATION, DiffFlags.OMIT_COPY_OPERATION);

    private Patches() {
    }

    /**
     * Only add / replace / remove, which a reviewer can read without replaying moves. Fields of the object that
     * are equal on both sides (metadata.managedFields, status, most of spec) are skipped before the diff, whose
     * list comparison is costly on large unchanged arrays.
     */
    static ArrayNode diff(JsonNode original, JsonNode changed) {
        ArrayNode patch = JsonNodeFactory.instance.arrayNode();
        diff(original, changed, "", patch);
        return patch;
    }

    private static void diff(JsonNode original, JsonNode changed, String path, ArrayNode patch) {
        if (original.equals(changed)) {
            return;
        }
        if (!(original instanceof ObjectNode before) || !(changed instanceof ObjectNode after)) {
            for (JsonNode op : JsonDiff.asJson(original, changed, READABLE)) {
                ((ObjectNode) op).put("path", path + op.path("path").asText());
                patch.add(op);
            }
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = before.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String child = path + "/" + escape(field.getKey());
            JsonNode now = after.get(field.getKey());
            if (now == null) {
                patch.addObject().put("op", "remove").put("path", child);
            } else {
                diff(field.getValue(), now, child, patch);
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = after.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!before.has(field.getKey())) {
                patch.addObject().put("op", "add").put("path", path + "/" + escape(field.getKey()))
                        .set("value", field.getValue());
            }
        }
    }

    /** RFC 6901: ~ and / inside a key. */
    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}

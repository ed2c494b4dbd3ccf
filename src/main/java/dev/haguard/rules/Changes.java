package dev.haguard.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haguard.engine.Json;
import io.fabric8.zjsonpatch.DiffFlags;
import io.fabric8.zjsonpatch.JsonDiff;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.regex.Pattern;

/** Which fields differ between two versions of an object, as paths a person reads (never the values). */
final class Changes {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");
    private static final Pattern INDEX = Pattern.compile("\\d+");

    private Changes() {
    }

    /** Changed paths such as {@code data.LOG_LEVEL} or {@code metadata.labels["haguard.dev/immutable"]}. */
    static List<String> between(JsonNode before, JsonNode after) {
        JsonNode diff = JsonDiff.asJson(before, after,
                EnumSet.of(DiffFlags.OMIT_MOVE_OPERATION, DiffFlags.OMIT_COPY_OPERATION, DiffFlags.OMIT_VALUE_ON_REMOVE));
        List<String> paths = new ArrayList<>();
        for (JsonNode op : diff) {
            String path = readable(op.get("path").asText());
            if (!paths.contains(path)) {
                paths.add(path);
            }
        }
        return paths;
    }

    /** A deep copy of the object's JSON with the given top-level-relative fields removed. */
    static ObjectNode without(Object object, List<List<String>> ignored) {
        ObjectNode tree = (ObjectNode) Json.tree(object);
        for (List<String> path : ignored) {
            JsonNode parent = tree;
            for (int i = 0; i < path.size() - 1 && parent != null; i++) {
                parent = parent.get(path.get(i));
            }
            if (parent instanceof ObjectNode o) {
                o.remove(path.get(path.size() - 1));
            }
        }
        return tree;
    }

    static String readable(String pointer) {
        StringBuilder out = new StringBuilder();
        for (String raw : pointer.substring(1).split("/", -1)) {
            String token = raw.replace("~1", "/").replace("~0", "~");
            if (INDEX.matcher(token).matches()) {
                out.append('[').append(token).append(']');
            } else if (PLAIN.matcher(token).matches()) {
                out.append(out.isEmpty() ? "" : ".").append(token);
            } else {
                out.append("[\"").append(token).append("\"]");
            }
        }
        return out.toString();
    }
}

package dev.haguard.rules.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haguard.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** Which fields differ between two versions of an object, as paths a person reads (never the values). */
public final class Changes {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");

    private Changes() {
    }

    /**
     * Changed paths such as {@code data.LOG_LEVEL} or {@code metadata.labels["haguard.dev/immutable"]}: down to the
     * keys inside a map that appeared or disappeared, and to the list itself when a list changed length.
     */
    public static List<String> between(JsonNode before, JsonNode after) {
        List<String> paths = new ArrayList<>();
        compare(before, after, "", paths);
        return paths;
    }

    private static void compare(JsonNode before, JsonNode after, String path, List<String> out) {
        if (before.equals(after)) {
            return;
        }
        if ((before.isObject() || before.isMissingNode()) && (after.isObject() || after.isMissingNode())) {
            Set<String> keys = new TreeSet<>();
            before.fieldNames().forEachRemaining(keys::add);
            after.fieldNames().forEachRemaining(keys::add);
            for (String key : keys) {
                compare(before.path(key), after.path(key), child(path, key), out);
            }
        } else if (before.isArray() && after.isArray() && before.size() == after.size()) {
            for (int i = 0; i < before.size(); i++) {
                compare(before.get(i), after.get(i), path + "[" + i + "]", out);
            }
        } else {
            out.add(path);
        }
    }

    private static String child(String path, String key) {
        return PLAIN.matcher(key).matches() ? (path.isEmpty() ? key : path + "." + key) : path + "[\"" + key + "\"]";
    }

    /** At most {@code limit} paths, then how many more: a denial stays readable whatever was changed. */
    public static String summary(List<String> paths, int limit) {
        return paths.size() <= limit ? String.join(", ", paths)
                : String.join(", ", paths.subList(0, limit)) + " and " + (paths.size() - limit) + " more";
    }

    /** A deep copy of the object's JSON with the given top-level-relative fields removed. */
    public static ObjectNode without(Object object, List<List<String>> ignored) {
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
}

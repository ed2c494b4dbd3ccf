package dev.haguard.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haguard.engine.ApiKind;
import dev.haguard.json.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * What a scan keeps of an object: its metadata and the paths its kind declares ({@link ApiKind#kept()}), and of an
 * object a controller manages, which is judged on its controller and only read, less
 * ({@link ApiKind#keptControlled()}). The background scan's informers keep this ({@link CompactStore}); so does
 * {@code scan --from} of a dump's pods.
 */
public final class Kept {

    /** What every object keeps besides its kind's paths; its name and namespace always. */
    private static final List<String> META = List.of("apiVersion", "kind", "metadata.name", "metadata.namespace",
            "metadata.uid", "metadata.resourceVersion", "metadata.labels", "metadata.ownerReferences",
            "metadata.creationTimestamp", "metadata.deletionTimestamp");

    private static final java.util.Map<ApiKind, Kept> BY_KIND = new java.util.concurrent.ConcurrentHashMap<>();

    private final List<String[]> full;
    private final List<String[]> controlled;

    /**
     * @param kept paths of what an object keeps besides its metadata ("spec", "status.conditions"); its annotations
     *     too
     * @param controlled what an object a controller manages keeps besides its metadata, without annotations; null for
     *     {@code kept}
     */
    Kept(List<String> kept, List<String> controlled) {
        List<String> all = new ArrayList<>(META);
        all.add("metadata.annotations");
        all.addAll(kept);
        this.full = paths(all);
        if (controlled == null) {
            this.controlled = this.full;
        } else {
            List<String> less = new ArrayList<>(META);
            less.addAll(controlled);
            this.controlled = paths(less);
        }
    }

    private static List<String[]> paths(List<String> paths) {
        return paths.stream().map(p -> p.split("\\.")).toList();
    }

    /** What is kept of {@code object} (a new tree). */
    ObjectNode of(JsonNode object) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        boolean less = managed(object);
        for (String[] path : less ? controlled : full) {
            copy(object, out, path, 0);
        }
        if (less && out.path("spec").path("tolerations") instanceof ArrayNode tolerations) {
            withoutDefaults(tolerations);
            if (tolerations.isEmpty()) {
                ((ObjectNode) out.path("spec")).remove("tolerations");
            }
        }
        return out;
    }

    /**
     * The API server's DefaultTolerationSeconds plug-in gives every pod two tolerations, of the taints a node gets while
     * it is not ready or unreachable. They make a third of a kept pod, and no judgement reads them: a node the what-if
     * counts on is one that is up. So a managed pod keeps only the tolerations it was given.
     */
    private static void withoutDefaults(ArrayNode tolerations) {
        for (int k = tolerations.size() - 1; k >= 0; k--) {
            JsonNode t = tolerations.get(k);
            if (DEFAULT_TOLERATED.contains(t.path("key").asText()) && t.path("operator").asText().equals("Exists")
                    && t.path("effect").asText().equals("NoExecute")) {
                tolerations.remove(k);
            }
        }
    }

    private static final java.util.Set<String> DEFAULT_TOLERATED = java.util.Set.of("node.kubernetes.io/not-ready",
            "node.kubernetes.io/unreachable");

    /**
     * {@code object} as a scan reads it: of a Pod, ReplicaSet or Job (a kind in {@code kinds} that keeps less of what a
     * controller manages) that a controller manages, only what is kept, in place; any other object as it is, since
     * it is judged itself, as written.
     */
    public static JsonNode controlled(JsonNode object, List<ApiKind> kinds) {
        if (!(object instanceof ObjectNode o) || !managed(object)) {
            return object;
        }
        for (ApiKind kind : kinds) {
            if (kind.keptControlled() != null && kind.kind().equals(o.path("kind").asText())
                    && kind.apiVersion().equals(o.path("apiVersion").asText())) {
                ObjectNode kept = BY_KIND.computeIfAbsent(kind, k -> new Kept(k.kept(), k.keptControlled())).of(o);
                o.removeAll();
                o.setAll(kept);
                return o;
            }
        }
        return object;
    }

    /**
     * Whether a controller manages {@code object} (an owner reference with {@code controller: true}): the one test
     * for what the scan judges on its controller and what it keeps less of, so that the two never disagree.
     */
    public static boolean managed(JsonNode object) {
        for (JsonNode owner : object.path("metadata").path("ownerReferences")) {
            if (owner.path("controller").asBoolean()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Copies {@code path} (from its {@code i}th part) of {@code from} into {@code to}: a part {@code name[]} is an array
     * whose elements keep the rest of the path, element by element, so that two paths into one array share it.
     */
    static void copy(JsonNode from, ObjectNode to, String[] path, int i) {
        String part = path[i];
        boolean each = part.endsWith("[]") && i < path.length - 1;
        String name = part.endsWith("[]") ? part.substring(0, part.length() - 2) : part;
        JsonNode child = from.get(name);
        if (child == null || child.isNull()) {
            return;
        }
        if (i == path.length - 1) {
            to.set(name, child);
        } else if (each && child.isArray()) {
            ArrayNode elements = to.get(name) instanceof ArrayNode a ? a : to.putArray(name);
            for (int k = 0; k < child.size(); k++) {
                ObjectNode element = k < elements.size() ? (ObjectNode) elements.get(k) : elements.addObject();
                copy(child.get(k), element, path, i + 1);
            }
        } else if (!each && child.isObject()) {
            copy(child, to.get(name) instanceof ObjectNode o ? o : to.putObject(name), path, i + 1);
        }
    }
}

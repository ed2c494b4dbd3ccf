package dev.haguard.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a cluster holds (or a dump of one), as the objects' JSON: what the scan hands the rules that judge stored state
 * as a whole, beyond each object as a request. Indexed once by kind and by uid.
 */
public final class Stored {

    private final Map<String, List<JsonNode>> byKind = new HashMap<>();
    private final Map<String, JsonNode> byUid = new HashMap<>();
    private final Map<String, JsonNode> namespaces = new HashMap<>();
    private final Set<String> named = new TreeSet<>();
    private final Instant now;
    private final Boolean veleroInstalled;

    /**
     * @param now the time to judge ages by (a dump's capture time)
     * @param veleroInstalled whether a live cluster serves Velero's CRDs; null when not known (a dump)
     */
    public Stored(List<JsonNode> objects, Instant now, Boolean veleroInstalled) {
        this.now = now;
        this.veleroInstalled = veleroInstalled;
        for (JsonNode o : objects) {
            String kind = o.path("kind").asText();
            byKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(o);
            JsonNode meta = o.path("metadata");
            String uid = meta.path("uid").asText("");
            if (!uid.isEmpty()) {
                byUid.put(uid, o);
            }
            if (kind.equals("Namespace") && o.path("apiVersion").asText().equals("v1")) {
                namespaces.put(meta.path("name").asText(), o);
                named.add(meta.path("name").asText());
            } else if (!meta.path("namespace").asText("").isEmpty()) {
                named.add(meta.path("namespace").asText());
            }
        }
    }

    /** The objects of one kind, in input order; empty when there are none. */
    public List<JsonNode> of(String kind) {
        return byKind.getOrDefault(kind, List.of());
    }

    public Optional<JsonNode> byUid(String uid) {
        return Optional.ofNullable(byUid.get(uid));
    }

    /** The object of this kind and name in this namespace ("" for cluster-scoped), if it is stored. */
    public Optional<JsonNode> find(String namespace, String kind, String name) {
        return of(kind).stream().filter(o -> o.path("metadata").path("name").asText().equals(name)
                && o.path("metadata").path("namespace").asText("").equals(namespace)).findFirst();
    }

    /** Every namespace that a Namespace object or an object's metadata names. */
    public Set<String> namespaces() {
        return named;
    }

    /** The Namespace object, when the input holds it. */
    public Optional<JsonNode> namespace(String name) {
        return Optional.ofNullable(namespaces.get(name));
    }

    public Map<String, String> namespaceLabels(String name) {
        return strings(namespace(name).map(n -> n.path("metadata").path("labels")).orElse(null));
    }

    public Map<String, String> namespaceAnnotations(String name) {
        return strings(namespace(name).map(n -> n.path("metadata").path("annotations")).orElse(null));
    }

    public Instant now() {
        return now;
    }

    /** Whether the cluster serves Velero's CRDs; empty when not known (a dump). */
    public Optional<Boolean> veleroInstalled() {
        return Optional.ofNullable(veleroInstalled);
    }

    /** A JSON object of strings (labels, annotations) as a map; empty for a missing one. */
    public static Map<String, String> strings(JsonNode object) {
        Map<String, String> out = new HashMap<>();
        if (object != null) {
            object.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        }
        return out;
    }
}

package dev.haguard.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haguard.cluster.Kept;
import dev.haguard.engine.ApiKind;
import dev.haguard.engine.Stored;
import dev.haguard.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The pods, ReplicaSets and Jobs of a dump that a controller manages, held as the compact JSON of what the scan reads
 * of them ({@link Kept}), as the background scan's informers hold them: they are judged on their controller, and the
 * rules that read them (where pods run, what they request) build each again when they reach it. A dump's pods are so
 * never all trees at once: at 150,000 pods, trees took about 3 KB a pod, this about 0.6 KB.
 */
public final class Held implements Stored.Source {

    /** What {@link #take} leaves in a dump's place for an object it holds. */
    public static final JsonNode TAKEN = Json.MAPPER.createObjectNode();

    private final List<ApiKind> kinds;
    private final Map<String, List<byte[]>> byKind = new LinkedHashMap<>();
    private final Map<String, byte[]> byName = new HashMap<>();
    private final Set<String> named = new TreeSet<>();

    /** @param kinds what the scan lists (StandardRules.listed()): what each kind keeps */
    public Held(List<ApiKind> kinds) {
        this.kinds = kinds;
    }

    /** An object as read: held, and {@link #TAKEN} returned, if a controller manages it; else as it is. */
    public JsonNode take(JsonNode object) {
        String kind = object.path("kind").asText();
        if (!(object instanceof ObjectNode) || !Scan.JUDGED_ON_CONTROLLER.contains(kind) || !Kept.managed(object)) {
            return object;
        }
        JsonNode kept = Kept.controlled(object, kinds);
        byte[] compact;
        try {
            compact = Json.MAPPER.writeValueAsBytes(kept);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        JsonNode meta = kept.path("metadata");
        String namespace = meta.path("namespace").asText("");
        byKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(compact);
        byName.putIfAbsent(namespace + "/" + kind + "/" + meta.path("name").asText(), compact);
        if (!namespace.isEmpty()) {
            named.add(namespace);
        }
        return TAKEN;
    }

    /** How many objects are held. */
    public int size() {
        return byKind.values().stream().mapToInt(List::size).sum();
    }

    /** How many of each kind are held. */
    Map<String, Integer> counts() {
        Map<String, Integer> out = new LinkedHashMap<>();
        byKind.forEach((kind, list) -> out.put(kind, list.size()));
        return out;
    }

    @Override
    public Set<String> kinds() {
        return byKind.keySet();
    }

    @Override
    public Collection<JsonNode> of(String kind) {
        List<byte[]> held = byKind.getOrDefault(kind, List.of());
        return Stored.lazy(held.size(), () -> Stored.built(held, Held::tree));
    }

    @Override
    public Optional<JsonNode> find(String namespace, String kind, String name) {
        return Optional.ofNullable(byName.get(namespace + "/" + kind + "/" + name)).map(Held::tree);
    }

    @Override
    public Set<String> namespaces() {
        return named;
    }

    private static JsonNode tree(byte[] compact) {
        try {
            return Json.MAPPER.readTree(compact);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

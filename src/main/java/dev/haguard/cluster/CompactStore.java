package dev.haguard.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haguard.json.Json;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * An informer's store that keeps each object as the compact JSON (UTF-8 bytes) of only what the rules read of it,
 * instead of fabric8's {@code ReducedStateItemStore}, whose maps of maps cost about 3 KB a pod. An object a controller
 * manages keeps less ({@code controlled}): it is judged on its controller and only read. The informer gets each
 * object back typed; the scan reads it as a tree ({@link #tree}), built afresh each time and let go after.
 */
final class CompactStore<T extends HasMetadata> implements ItemStore<T> {

    /** What every object keeps besides {@code kept}; the key (namespace and name) always. */
    private static final List<String> META = List.of("apiVersion", "kind", "metadata.name", "metadata.namespace",
            "metadata.uid", "metadata.resourceVersion", "metadata.labels", "metadata.ownerReferences",
            "metadata.creationTimestamp", "metadata.deletionTimestamp");

    private final ConcurrentHashMap<String, byte[]> items = new ConcurrentHashMap<>();
    private final Class<T> type;
    private final List<String[]> kept;
    private final List<String[]> controlled;

    /**
     * @param kept paths of what an object keeps besides its metadata ("spec", "status.conditions"); its annotations
     *     too
     * @param controlled what an object a controller manages keeps besides its metadata, without annotations; null for
     *     {@code kept}
     */
    CompactStore(Class<T> type, List<String> kept, List<String> controlled) {
        this.type = type;
        List<String> full = new ArrayList<>(META);
        full.add("metadata.annotations");
        full.addAll(kept);
        this.kept = paths(full);
        if (controlled == null) {
            this.controlled = this.kept;
        } else {
            List<String> less = new ArrayList<>(META);
            less.addAll(controlled);
            this.controlled = paths(less);
        }
    }

    private static List<String[]> paths(List<String> paths) {
        return paths.stream().map(p -> p.split("\\.")).toList();
    }

    @Override
    public String getKey(T object) {
        return Cache.metaNamespaceKeyFunc(object);
    }

    @Override
    public T put(String key, T object) {
        return typed(items.put(key, compact(object)));
    }

    @Override
    public T remove(String key) {
        return typed(items.remove(key));
    }

    @Override
    public Stream<String> keySet() {
        return items.keySet().stream();
    }

    /**
     * Each object with its name and namespace only. The informer lists its values only on a relist, to find the keys
     * that are gone ({@code ProcessorStore.retainAll}, fabric8 7.6), and it lists them all at once: whole objects there
     * were a cluster's worth of garbage in one go (the scan's leader ran out of a 192 MiB heap at 50,000 pods). Nothing
     * else lists them: ha-guard reads {@link #tree} by key, and these informers have no handlers nor resync.
     */
    @Override
    public Stream<T> values() {
        return items.keySet().stream().map(this::named);
    }

    private T named(String key) {
        int slash = key.indexOf('/');
        try {
            T object = type.getDeclaredConstructor().newInstance();
            object.setMetadata(new ObjectMetaBuilder().withNamespace(slash < 0 ? null : key.substring(0, slash))
                    .withName(key.substring(slash + 1)).build());
            return object;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(type + " has no public constructor without arguments", e);
        }
    }

    @Override
    public int size() {
        return items.size();
    }

    @Override
    public T get(String key) {
        return typed(items.get(key));
    }

    @Override
    public boolean isFullState() {
        return false;
    }

    /** The kept state of the object with this key ("namespace/name", or "name" cluster-scoped), or null. */
    JsonNode tree(String key) {
        byte[] bytes = items.get(key);
        if (bytes == null) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // written by compact() just before: not expected
        }
    }

    /** How many bytes the kept state takes (without the map's own). */
    long bytes() {
        return items.values().stream().mapToLong(b -> b.length).sum();
    }

    private byte[] compact(T object) {
        ObjectNode full = (ObjectNode) Json.tree(object);
        full.put("apiVersion", object.getApiVersion()).put("kind", object.getKind());
        boolean managed = object.getMetadata().getOwnerReferences() != null && object.getMetadata().getOwnerReferences()
                .stream().anyMatch(o -> Boolean.TRUE.equals(o.getController()));
        ObjectNode out = Json.MAPPER.createObjectNode();
        for (String[] path : managed ? controlled : kept) {
            copy(full, out, path, 0);
        }
        try {
            return Json.MAPPER.writeValueAsBytes(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private T typed(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            return Json.MAPPER.readValue(bytes, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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

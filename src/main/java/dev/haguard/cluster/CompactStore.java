package dev.haguard.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haguard.json.Json;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.io.IOException;
import java.io.UncheckedIOException;
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

    private final ConcurrentHashMap<String, byte[]> items = new ConcurrentHashMap<>();
    private final Class<T> type;
    private final Kept kept;
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicLong changes = new java.util.concurrent.atomic.AtomicLong();

    /**
     * @param kept paths of what an object keeps besides its metadata ("spec", "status.conditions"); its annotations
     *     too
     * @param controlled what an object a controller manages keeps besides its metadata, without annotations; null for
     *     {@code kept}
     */
    CompactStore(Class<T> type, List<String> kept, List<String> controlled) {
        this.type = type;
        this.kept = new Kept(kept, controlled);
    }

    @Override
    public String getKey(T object) {
        return Cache.metaNamespaceKeyFunc(object);
    }

    @Override
    public T put(String key, T object) {
        if (closed) {
            return null; // a page of a list still in flight when the informer was closed
        }
        changes.incrementAndGet();
        return typed(items.put(key, compact(object)));
    }

    /** How many objects were put or removed since it was made: a count that moves when the kind's objects change. */
    long changes() {
        return changes.get();
    }

    /**
     * Lets go of every object now and takes no more: an informer's close stops its watch, but a list in flight still
     * fills its store, which then stays reachable until that list ends (the heap valve found it did not free memory).
     */
    void clear() {
        closed = true;
        items.clear();
    }

    @Override
    public T remove(String key) {
        changes.incrementAndGet();
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
        try {
            return Json.MAPPER.writeValueAsBytes(kept.of(full));
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
}

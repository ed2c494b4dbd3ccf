package dev.haguard.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.AbstractCollection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * What a cluster holds (or a dump of one), as the objects' JSON: what the scan hands the rules that judge stored state
 * as a whole, beyond each object as a request. The objects come from a {@link Source}: a list of trees (a dump), or
 * the background scan's informers, which build each tree afresh from their compact state when it is reached, so that
 * a rule reading every pod never holds them all at once. A rule therefore iterates a kind and keeps what it needs,
 * not the trees.
 */
public final class Stored {

    /** Where the objects are read from. */
    public interface Source {
        /** The kinds held. */
        Set<String> kinds();

        /** The objects of one kind, in a stable order; each iteration may build them again. */
        Collection<JsonNode> of(String kind);

        /** The object of this kind and name in this namespace ("" for cluster-scoped), if it is held. */
        Optional<JsonNode> find(String namespace, String kind, String name);

        /** Every namespace that a Namespace object or an object's metadata names. */
        Set<String> namespaces();
    }

    private final Source source;
    private final Instant now;
    private final Boolean veleroInstalled;
    private Map<String, JsonNode> namespaces;
    private Set<String> named;

    /**
     * @param now the time to judge ages by (a dump's capture time)
     * @param veleroInstalled whether a live cluster serves Velero's CRDs; null when not known (a dump)
     */
    public Stored(List<JsonNode> objects, Instant now, Boolean veleroInstalled) {
        this(new Listed(objects), now, veleroInstalled);
    }

    /** The objects of a list and of {@code more}, as one source. */
    public Stored(List<JsonNode> objects, Source more, Instant now, Boolean veleroInstalled) {
        this(new Both(new Listed(objects), more), now, veleroInstalled);
    }

    public Stored(Source source, Instant now, Boolean veleroInstalled) {
        this.source = source;
        this.now = now;
        this.veleroInstalled = veleroInstalled;
    }

    /** The objects of one kind, in input order; empty when there are none. */
    public Collection<JsonNode> of(String kind) {
        return source.of(kind);
    }

    /** The object of this kind and name in this namespace ("" for cluster-scoped), if it is stored. */
    public Optional<JsonNode> find(String namespace, String kind, String name) {
        return source.find(namespace, kind, name);
    }

    /** Every namespace that a Namespace object or an object's metadata names. */
    public synchronized Set<String> namespaces() {
        if (named == null) {
            named = source.namespaces();
        }
        return named;
    }

    /** The Namespace object, when the input holds it. */
    public synchronized Optional<JsonNode> namespace(String name) {
        if (namespaces == null) {
            namespaces = new HashMap<>();
            for (JsonNode n : of("Namespace")) {
                if (n.path("apiVersion").asText().equals("v1")) {
                    namespaces.putIfAbsent(n.path("metadata").path("name").asText(), n);
                }
            }
        }
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

    /** A collection of {@code size} objects built by {@code iterator} on each iteration. */
    public static Collection<JsonNode> lazy(int size, Supplier<Iterator<JsonNode>> iterator) {
        return new AbstractCollection<>() {
            @Override
            public Iterator<JsonNode> iterator() {
                return iterator.get();
            }

            @Override
            public int size() {
                return size;
            }
        };
    }

    /**
     * The objects of {@code keys}, each built by {@code build} only when the iteration reaches it; one it builds as
     * null (deleted meanwhile) is left out.
     */
    public static <K> Iterator<JsonNode> built(List<K> keys, java.util.function.Function<K, JsonNode> build) {
        return new Iterator<>() {
            private int next;
            private JsonNode ahead;

            @Override
            public boolean hasNext() {
                while (ahead == null && next < keys.size()) {
                    ahead = build.apply(keys.get(next++));
                }
                return ahead != null;
            }

            @Override
            public JsonNode next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                JsonNode out = ahead;
                ahead = null;
                return out;
            }
        };
    }

    /** Two sources as one: a kind's objects of the first, then of the second. */
    private record Both(Source first, Source second) implements Source {
        @Override
        public Set<String> kinds() {
            Set<String> kinds = new java.util.LinkedHashSet<>(first.kinds());
            kinds.addAll(second.kinds());
            return kinds;
        }

        @Override
        public Collection<JsonNode> of(String kind) {
            Collection<JsonNode> a = first.of(kind);
            Collection<JsonNode> b = second.of(kind);
            if (b.isEmpty()) {
                return a;
            }
            return a.isEmpty() ? b : lazy(a.size() + b.size(), () -> new Iterator<>() {
                private final Iterator<JsonNode> one = a.iterator();
                private final Iterator<JsonNode> two = b.iterator();

                @Override
                public boolean hasNext() {
                    return one.hasNext() || two.hasNext();
                }

                @Override
                public JsonNode next() {
                    return one.hasNext() ? one.next() : two.next();
                }
            });
        }

        @Override
        public Optional<JsonNode> find(String namespace, String kind, String name) {
            Optional<JsonNode> found = first.find(namespace, kind, name);
            return found.isPresent() ? found : second.find(namespace, kind, name);
        }

        @Override
        public Set<String> namespaces() {
            Set<String> named = new TreeSet<>(first.namespaces());
            named.addAll(second.namespaces());
            return named;
        }
    }

    /** Objects held as trees, indexed once by kind and by namespace, kind and name. */
    private static final class Listed implements Source {
        private final Map<String, List<JsonNode>> byKind = new HashMap<>();
        private final Map<String, JsonNode> byName = new HashMap<>();
        private final Set<String> named = new TreeSet<>();

        Listed(List<JsonNode> objects) {
            for (JsonNode o : objects) {
                String kind = o.path("kind").asText();
                byKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(o);
                JsonNode meta = o.path("metadata");
                String namespace = meta.path("namespace").asText("");
                byName.putIfAbsent(namespace + "/" + kind + "/" + meta.path("name").asText(), o);
                if (kind.equals("Namespace") && o.path("apiVersion").asText().equals("v1")) {
                    named.add(meta.path("name").asText());
                } else if (!namespace.isEmpty()) {
                    named.add(namespace);
                }
            }
        }

        @Override
        public Set<String> kinds() {
            return byKind.keySet();
        }

        @Override
        public Collection<JsonNode> of(String kind) {
            return byKind.getOrDefault(kind, List.of());
        }

        @Override
        public Optional<JsonNode> find(String namespace, String kind, String name) {
            return Optional.ofNullable(byName.get(namespace + "/" + kind + "/" + name));
        }

        @Override
        public Set<String> namespaces() {
            return named;
        }
    }
}

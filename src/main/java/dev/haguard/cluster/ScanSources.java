package dev.haguard.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haguard.engine.ApiKind;
import dev.haguard.engine.Stored;
import dev.haguard.json.Json;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What the background scan judges, held by informers so that a re-scan lists nothing: the kinds {@code ha-guard scan}
 * reads (what the rules declare), each object kept as the compact JSON of what the rules read of it
 * ({@link CompactStore}: an object a controller manages keeps less). The scan reads them as a {@link Stored.Source},
 * each object's tree built when it is reached. Only the replica that leads the scan starts them; they stop when it no
 * longer leads.
 */
public final class ScanSources implements Stored.Source, AutoCloseable {

    private final Map<String, SharedIndexInformer<? extends HasMetadata>> informers = new LinkedHashMap<>();
    private final Map<String, CompactStore<?>> stores = new HashMap<>();
    private final Map<String, VeleroObjects> velero = new LinkedHashMap<>();
    private final CompletableFuture<Void> synced;

    private ScanSources(KubernetesClient client, List<ApiKind> kinds, Duration veleroRecheck) {
        for (ApiKind kind : kinds) {
            if (kind.optional()) {
                velero.put(kind.kind(), new VeleroObjects(client, Velero.context(kind), veleroRecheck));
                continue;
            }
            informers.put(kind.kind(), compact(informer(client, kind.model(), kind.namespaced()), kind));
        }
        List<CompletableFuture<?>> started = new ArrayList<>();
        for (SharedIndexInformer<? extends HasMetadata> i : informers.values()) {
            i.exceptionHandler((isStarted, t) -> true);
            started.add(i.start().toCompletableFuture());
        }
        velero.values().forEach(v -> started.add(v.known().toCompletableFuture()));
        synced = CompletableFuture.allOf(started.toArray(CompletableFuture[]::new));
    }

    /** Informers on {@code kinds}: what a scan lists (StandardRules.listed()). */
    public static ScanSources start(KubernetesClient client, List<ApiKind> kinds) {
        return new ScanSources(client, kinds, ClusterCache.VELERO_RECHECK);
    }

    static ScanSources start(KubernetesClient client, List<ApiKind> kinds, Duration veleroRecheck) {
        return new ScanSources(client, kinds, veleroRecheck);
    }

    private static <T extends HasMetadata> SharedIndexInformer<T> informer(KubernetesClient client, Class<T> model,
            boolean namespaced) {
        var all = client.resources(model);
        return namespaced ? all.inAnyNamespace().withLimit(Paging.LIMIT).runnableInformer(0)
                : all.withLimit(Paging.LIMIT).runnableInformer(0);
    }

    private <T extends HasMetadata> SharedIndexInformer<T> compact(SharedIndexInformer<T> informer, ApiKind kind) {
        CompactStore<T> store = new CompactStore<>(informer.getApiTypeClass(), kind.kept(), kind.keptControlled());
        stores.put(kind.kind(), store);
        return informer.itemStore(store);
    }

    /**
     * Completes once every informer holds a first full list, and each of Velero's kinds is either listed or known not to
     * be served (its informer starts when discovery finds it).
     */
    public CompletionStage<Void> synced() {
        return synced;
    }

    /**
     * The kinds whose informer has not listed yet (a missing list/watch permission keeps it so), and Velero's kinds
     * that discovery has not answered for or whose informer has not listed: judged then, backups would read as not
     * taken.
     */
    public List<String> unsynced() {
        List<String> out = new ArrayList<>(informers.values().stream().filter(i -> !i.hasSynced())
                .map(i -> i.getApiTypeClass().getSimpleName()).toList());
        velero.forEach((kind, v) -> {
            if (v.installed().isEmpty()) {
                out.add(kind + " (velero.io" + v.discoveryFailure().map(f -> ": API discovery failed: " + f).orElse("")
                        + ")");
            }
        });
        return out;
    }

    /** Whether Velero's Schedules are served: null while not known yet (or when no rule reads them). */
    public Boolean veleroInstalled() {
        return velero.values().stream().filter(v -> v.resource().getPlural().equals("schedules")).findFirst()
                .flatMap(VeleroObjects::installed).orElse(null);
    }

    /** How many objects are held now. */
    public int count() {
        return stores.values().stream().mapToInt(CompactStore::size).sum()
                + velero.values().stream().mapToInt(v -> v.objects().size()).sum();
    }

    /** A count that moves whenever an object of one of {@code kinds} is added, changed or deleted. */
    public long changes(Collection<String> kinds) {
        return kinds.stream().map(stores::get).filter(Objects::nonNull).mapToLong(CompactStore::changes).sum();
    }

    /** How many bytes the objects' kept state takes in the informers' stores (Velero's objects not counted). */
    public long bytes() {
        return stores.values().stream().mapToLong(CompactStore::bytes).sum();
    }

    @Override
    public Set<String> kinds() {
        Set<String> kinds = new LinkedHashSet<>(informers.keySet());
        kinds.addAll(velero.keySet());
        return kinds;
    }

    /**
     * The objects of one kind held now, each built from its kept state only when the iteration reaches it, so that the
     * caller can let it go before the next. One deleted meanwhile is left out.
     */
    @Override
    public Collection<JsonNode> of(String kind) {
        CompactStore<?> store = stores.get(kind);
        if (store != null) {
            // Not a stream's iterator: behind sorted() (or flatMap) it would build every tree before the first.
            return Stored.lazy(store.size(), () -> Stored.built(store.keySet().sorted().toList(), store::tree));
        }
        VeleroObjects v = velero.get(kind);
        if (v == null) {
            return List.of();
        }
        List<GenericKubernetesResource> objects = v.objects();
        return Stored.lazy(objects.size(), () -> objects.stream().<JsonNode>map(Json::tree).iterator());
    }

    @Override
    public Optional<JsonNode> find(String namespace, String kind, String name) {
        CompactStore<?> store = stores.get(kind);
        if (store != null) {
            return Optional.ofNullable(store.tree(namespace.isEmpty() ? name : namespace + "/" + name));
        }
        return of(kind).stream().filter(o -> o.path("metadata").path("name").asText().equals(name)
                && o.path("metadata").path("namespace").asText("").equals(namespace)).findFirst();
    }

    @Override
    public Set<String> namespaces() {
        Set<String> named = new TreeSet<>();
        stores.forEach((kind, store) -> store.keySet().forEach(key -> {
            int slash = key.indexOf('/');
            if (slash > 0) {
                named.add(key.substring(0, slash));
            } else if (kind.equals("Namespace")) {
                named.add(key);
            }
        }));
        velero.values().forEach(v -> v.objects().stream().map(o -> o.getMetadata().getNamespace())
                .filter(Objects::nonNull).forEach(named::add));
        return named;
    }

    @Override
    public void close() {
        informers.values().forEach(SharedIndexInformer::close);
        stores.values().forEach(CompactStore::clear);
        velero.values().forEach(VeleroObjects::close);
    }
}

package dev.haguard.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haguard.json.Json;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * One kind of Velero's objects (velero.io/v1, namespaced: Schedules, Backups, BackupStorageLocations), kept by an
 * informer. The informer starts once API discovery lists the resource: until then (a
 * cluster without Velero) {@link #installed()} is false and discovery is asked again every {@code recheck}, off the
 * request path, so the cache fills once the CRDs are installed, without a restart. (An informer started on a missing
 * resource would retry by itself, but logs a stack trace each time.) Nothing waits for it at start.
 */
final class VeleroObjects implements ResourceEventHandler<GenericKubernetesResource>, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(VeleroObjects.class);

    private final KubernetesClient client;
    private final ResourceDefinitionContext resource;
    private final Map<String, GenericKubernetesResource> objects = new ConcurrentHashMap<>();
    private final ScheduledExecutorService discovery = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "haguard-velero-discovery");
        t.setDaemon(true);
        return t;
    });
    private volatile SharedIndexInformer<GenericKubernetesResource> informer;
    private volatile boolean missing;
    /** Why the last API discovery failed (no answer, or not a resource list), or null. */
    private volatile String discoveryFailure;
    private final CompletableFuture<Void> known = new CompletableFuture<>();

    VeleroObjects(KubernetesClient client, ResourceDefinitionContext resource, Duration recheck) {
        this.client = client;
        this.resource = resource;
        discovery.scheduleWithFixedDelay(this::discover, 0, recheck.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void discover() {
        try {
            APIResourceList served = client.getApiResources(resource.getGroup() + "/" + resource.getVersion());
            boolean found = served != null && served.getResources().stream()
                    .anyMatch(r -> r.getName().equals(resource.getPlural()));
            if (!found) {
                if (!missing && resource.getPlural().equals(Velero.SCHEDULES.getPlural())) {
                    LOG.info("Velero's Schedule CRD is not installed: backups are judged as not taken until it is");
                }
                missing = true;
                discoveryFailure = null;
                known.complete(null);
                return;
            }
            SharedIndexInformer<GenericKubernetesResource> started = client.genericKubernetesResources(resource)
                    .inAnyNamespace().withLimit(Paging.LIMIT).runnableInformer(0);
            started.addEventHandler(this);
            started.exceptionHandler((isStarted, t) -> true);
            discoveryFailure = null;
            informer = started;
            started.start().thenRun(() -> known.complete(null));
            missing = false;
            LOG.infof("Velero's %s are watched", resource.getPlural());
            discovery.shutdown();
        } catch (RuntimeException e) { // unreachable API server, or a reply that is not a resource list: ask again later
            discoveryFailure = e instanceof KubernetesClientException k && k.getCode() > 0 ? "HTTP " + k.getCode()
                    + (k.getStatus() != null && k.getStatus().getMessage() != null ? " " + k.getStatus().getMessage()
                    : "") : e.getMessage();
            LOG.debugf("API discovery of velero.io/v1 failed, asking again later: %s", e.getMessage());
        }
    }

    ResourceDefinitionContext resource() {
        return resource;
    }

    /**
     * Completes once {@link #installed()} is known: discovery found no such resource, or the informer listed it. Until
     * then a scan cannot tell "no Schedules" from "not listed yet".
     */
    CompletionStage<Void> known() {
        return known;
    }

    /** Why API discovery of velero.io/v1 last failed, while {@link #installed()} is not known for that reason. */
    Optional<String> discoveryFailure() {
        return informer == null && !missing ? Optional.ofNullable(discoveryFailure) : Optional.empty();
    }

    /** Known: true once listed, false after a 404; empty while neither is known. */
    Optional<Boolean> installed() {
        SharedIndexInformer<GenericKubernetesResource> watching = informer;
        return watching != null && watching.hasSynced() ? Optional.of(true) : missing ? Optional.of(false)
                : Optional.empty();
    }

    /** The objects as JSON trees (Velero keeps a handful of Schedules: made on each call). */
    List<JsonNode> trees() {
        return objects.values().stream().map(Json::tree).toList();
    }

    List<GenericKubernetesResource> objects() {
        return List.copyOf(objects.values());
    }

    @Override
    public void onAdd(GenericKubernetesResource object) {
        objects.put(key(object), object);
    }

    @Override
    public void onUpdate(GenericKubernetesResource old, GenericKubernetesResource object) {
        onAdd(object);
    }

    @Override
    public void onDelete(GenericKubernetesResource object, boolean finalStateUnknown) {
        objects.remove(key(object));
    }

    private static String key(GenericKubernetesResource o) {
        return o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
    }

    @Override
    public void close() {
        discovery.shutdownNow();
        if (informer != null) {
            informer.close();
        }
    }
}

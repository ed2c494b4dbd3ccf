package dev.haguard.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.ReducedStateItemStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What the background scan judges, held by informers so that a re-scan lists nothing: the kinds {@code ha-guard scan}
 * reads, kept without what no rule reads (managedFields, and status except where placement and budgets read it).
 * Only the replica that leads the scan starts them; they stop when it no longer leads.
 */
public final class ScanSources implements AutoCloseable {

    private static final String[] META = {"metadata.uid", "metadata.labels", "metadata.annotations",
            "metadata.ownerReferences", "metadata.creationTimestamp"};

    private final List<SharedIndexInformer<? extends HasMetadata>> informers = new ArrayList<>();
    private final List<VeleroObjects> velero = new ArrayList<>();
    private final CompletableFuture<Void> synced;

    private ScanSources(KubernetesClient client, Duration veleroRecheck) {
        var ser = client.getKubernetesSerialization();
        add(client.namespaces().runnableInformer(0));
        add(reduced(client.nodes().runnableInformer(0), ser, "spec"));
        add(reduced(client.persistentVolumes().runnableInformer(0), ser, "spec"));
        add(reduced(client.persistentVolumeClaims().inAnyNamespace().runnableInformer(0), ser, "spec"));
        add(reduced(client.pods().inAnyNamespace().runnableInformer(0), ser, "spec", "status.conditions"));
        add(reduced(client.apps().deployments().inAnyNamespace().runnableInformer(0), ser, "spec"));
        add(reduced(client.apps().statefulSets().inAnyNamespace().runnableInformer(0), ser, "spec"));
        add(reduced(client.apps().replicaSets().inAnyNamespace().runnableInformer(0), ser, "spec"));
        add(reduced(client.apps().daemonSets().inAnyNamespace().runnableInformer(0), ser, "spec"));
        add(reduced(client.replicationControllers().inAnyNamespace().runnableInformer(0), ser, "spec"));
        add(reduced(client.batch().v1().jobs().inAnyNamespace().runnableInformer(0), ser, "spec"));
        add(reduced(client.batch().v1().cronjobs().inAnyNamespace().runnableInformer(0), ser, "spec"));
        add(reduced(client.autoscaling().v2().horizontalPodAutoscalers().inAnyNamespace().runnableInformer(0), ser,
                "spec"));
        add(reduced(client.policy().v1().podDisruptionBudget().inAnyNamespace().runnableInformer(0), ser, "spec",
                "status"));
        add(reduced(client.services().inAnyNamespace().runnableInformer(0), ser, "spec.selector", "spec.type"));
        List<CompletableFuture<?>> started = new ArrayList<>();
        for (SharedIndexInformer<? extends HasMetadata> i : informers) {
            i.exceptionHandler((isStarted, t) -> true);
            started.add(i.start().toCompletableFuture());
        }
        synced = CompletableFuture.allOf(started.toArray(CompletableFuture[]::new));
        for (var kind : List.of(Velero.SCHEDULES, Velero.BACKUPS, Velero.LOCATIONS)) {
            velero.add(new VeleroObjects(client, kind, veleroRecheck));
        }
    }

    public static ScanSources start(KubernetesClient client) {
        return new ScanSources(client, ClusterCache.VELERO_RECHECK);
    }

    static ScanSources start(KubernetesClient client, Duration veleroRecheck) {
        return new ScanSources(client, veleroRecheck);
    }

    private static <T extends HasMetadata> SharedIndexInformer<T> reduced(SharedIndexInformer<T> informer,
            io.fabric8.kubernetes.client.utils.KubernetesSerialization ser, String... fields) {
        String[] kept = new String[META.length + fields.length];
        System.arraycopy(META, 0, kept, 0, META.length);
        System.arraycopy(fields, 0, kept, META.length, fields.length);
        return informer.itemStore(new ReducedStateItemStore<>(ReducedStateItemStore.NAME_KEY_STATE,
                informer.getApiTypeClass(), ser, kept));
    }

    private void add(SharedIndexInformer<? extends HasMetadata> informer) {
        informers.add(informer);
    }

    /** Completes once every informer holds a first full list (Velero's start when discovery finds them). */
    public CompletionStage<Void> synced() {
        return synced;
    }

    /** The kinds whose informer has not listed yet (a missing list/watch permission keeps it so). */
    public List<String> unsynced() {
        return informers.stream().filter(i -> !i.hasSynced()).map(i -> i.getApiTypeClass().getSimpleName()).toList();
    }

    /** Whether Velero's Schedules are served: null while not known yet. */
    public Boolean veleroInstalled() {
        return velero.get(0).installed().orElse(null);
    }

    /** Every object held now: a snapshot, to judge as a dump. */
    public List<HasMetadata> objects() {
        List<HasMetadata> all = new ArrayList<>();
        informers.forEach(i -> all.addAll(i.getStore().list()));
        velero.forEach(v -> all.addAll(v.objects()));
        return all;
    }

    @Override
    public void close() {
        informers.forEach(SharedIndexInformer::close);
        velero.forEach(VeleroObjects::close);
    }
}

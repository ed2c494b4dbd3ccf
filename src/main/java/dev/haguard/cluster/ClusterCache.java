package dev.haguard.cluster;

import dev.haguard.engine.ClusterView;
import dev.haguard.engine.ClusterView.Need;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ReducedStateItemStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the rules ask of the cluster at admission, as informers see it: read on the request path, never fetched there.
 * Only what some rule needs is watched (each rule declares it); a question nobody needs is answered "not known".
 * Nodes and workloads are stored reduced to the fields read (a Node's status, with its image list, is most of its
 * bytes), claims to their keys.
 */
public final class ClusterCache implements ClusterView, AutoCloseable {

    private static final String BY_TARGET = "scaleTarget";

    /** How often API discovery is asked whether Velero has been installed, while it is not. */
    static final Duration VELERO_RECHECK = Duration.ofMinutes(1);

    private final List<SharedIndexInformer<?>> started = new ArrayList<>();
    private final SharedIndexInformer<Namespace> namespaces;
    private final SharedIndexInformer<HorizontalPodAutoscaler> autoscalers;
    private final SharedIndexInformer<Node> nodes;
    private final NodeLabels nodeLabels = new NodeLabels();
    private final SharedIndexInformer<PodDisruptionBudget> budgets;
    private final SharedIndexInformer<Deployment> deployments;
    private final SharedIndexInformer<StatefulSet> statefulSets;
    private final Map<String, Map<String, Workload>> workloads = new ConcurrentHashMap<>();
    private final SharedIndexInformer<PersistentVolumeClaim> claims;
    private final VeleroObjects schedules;
    private final CompletableFuture<Void> synced;

    private ClusterCache(KubernetesClient client, Set<Need> needs, Duration veleroRecheck) {
        var ser = client.getKubernetesSerialization();
        namespaces = needs.contains(Need.NAMESPACES) ? client.namespaces().withLimit(Paging.LIMIT).runnableInformer(0)
                : null;
        autoscalers = needs.contains(Need.AUTOSCALERS) ? client.autoscaling().v2().horizontalPodAutoscalers()
                .inAnyNamespace().withLimit(Paging.LIMIT).runnableInformer(0) : null;
        if (autoscalers != null) {
            autoscalers.addIndexers(Map.of(BY_TARGET, ClusterCache::target));
        }
        nodes = needs.contains(Need.NODES) ? client.nodes().withLimit(Paging.LIMIT).runnableInformer(0)
                .itemStore(new ReducedStateItemStore<>(ReducedStateItemStore.NAME_KEY_STATE, Node.class, ser,
                        "metadata.labels", "spec.unschedulable", "spec.taints")) : null;
        if (nodes != null) {
            nodes.addEventHandler(nodeLabels);
        }
        budgets = needs.contains(Need.BUDGETS) ? client.policy().v1().podDisruptionBudget().inAnyNamespace()
                .withLimit(Paging.LIMIT).runnableInformer(0) : null;
        boolean workloadsNeeded = needs.contains(Need.WORKLOADS);
        deployments = workloadsNeeded ? client.apps().deployments().inAnyNamespace().withLimit(Paging.LIMIT)
                .runnableInformer(0)
                .itemStore(new ReducedStateItemStore<>(ReducedStateItemStore.NAME_KEY_STATE, Deployment.class, ser,
                        "spec.replicas", "spec.template.metadata.labels")) : null;
        statefulSets = workloadsNeeded ? client.apps().statefulSets().inAnyNamespace().withLimit(Paging.LIMIT)
                .runnableInformer(0)
                .itemStore(new ReducedStateItemStore<>(ReducedStateItemStore.NAME_KEY_STATE, StatefulSet.class, ser,
                        "spec.replicas", "spec.template.metadata.labels", "spec.volumeClaimTemplates")) : null;
        if (workloadsNeeded) {
            deployments.addEventHandler(new WorkloadIndex<>(workloads));
            statefulSets.addEventHandler(new WorkloadIndex<>(workloads));
        }
        // Only which namespaces hold claims is read: each claim is kept as its key, namespace/name.
        claims = needs.contains(Need.CLAIMS) ? client.persistentVolumeClaims().inAnyNamespace()
                .withLimit(Paging.LIMIT).runnableInformer(0)
                .itemStore(new ReducedStateItemStore<>(ReducedStateItemStore.NAME_KEY_STATE, PersistentVolumeClaim.class,
                        ser)) : null;
        schedules = needs.contains(Need.SCHEDULES) ? new VeleroObjects(client, Velero.SCHEDULES, veleroRecheck) : null;
        List<CompletableFuture<?>> lists = new ArrayList<>();
        for (SharedIndexInformer<?> informer : java.util.Arrays.asList(namespaces, autoscalers, nodes, budgets,
                deployments, statefulSets, claims)) {
            if (informer != null) {
                informer.exceptionHandler((isStarted, t) -> true);
                lists.add(informer.start().toCompletableFuture());
                started.add(informer);
            }
        }
        synced = CompletableFuture.allOf(lists.toArray(CompletableFuture[]::new));
    }

    /** Starts informers on what {@code needs} ask; they retry on their own when the API server is unreachable. */
    public static ClusterCache start(KubernetesClient client, Set<Need> needs) {
        return new ClusterCache(client, needs, VELERO_RECHECK);
    }

    static ClusterCache start(KubernetesClient client, Set<Need> needs, Duration veleroRecheck) {
        return new ClusterCache(client, needs, veleroRecheck);
    }

    /** Completes once every cache holds a first full list. */
    public CompletionStage<Void> synced() {
        return synced;
    }

    /** The workload an HPA scales, as its index key (none without a target). */
    private static List<String> target(HorizontalPodAutoscaler h) {
        return h.getSpec() == null || h.getSpec().getScaleTargetRef() == null ? List.of()
                : List.of(key(h.getMetadata().getNamespace(), h.getSpec().getScaleTargetRef().getKind(),
                        h.getSpec().getScaleTargetRef().getName()));
    }

    private static String key(String namespace, String kind, String name) {
        return namespace + "/" + kind + "/" + name;
    }

    private Optional<Namespace> namespace(String name) {
        return namespaces == null || name == null || name.isEmpty() ? Optional.empty()
                : Optional.ofNullable(namespaces.getStore().getByKey(name));
    }

    @Override
    public Map<String, String> namespaceLabels(String namespace) {
        return namespace(namespace).map(n -> n.getMetadata().getLabels()).orElse(Map.of());
    }

    @Override
    public Map<String, String> namespaceAnnotations(String namespace) {
        return namespace(namespace).map(n -> n.getMetadata().getAnnotations()).orElse(Map.of());
    }

    @Override
    public Optional<String> autoscaler(String namespace, String kind, String name) {
        return autoscalers(namespace, kind, name).stream().findFirst();
    }

    @Override
    public List<String> autoscalers(String namespace, String kind, String name) {
        return autoscalers == null ? List.of() : autoscalers.getIndexer().byIndex(BY_TARGET, key(namespace, kind, name))
                .stream().map(h -> h.getMetadata().getName()).sorted().toList();
    }

    @Override
    public Optional<Map<String, String>> autoscaled() {
        if (autoscalers == null || !autoscalers.hasSynced()) {
            return Optional.empty();
        }
        Map<String, TreeSet<String>> scaled = new TreeMap<>();
        for (HorizontalPodAutoscaler h : autoscalers.getStore().list()) {
            target(h).forEach(t -> scaled.computeIfAbsent(t, x -> new TreeSet<>()).add(h.getMetadata().getName()));
        }
        Map<String, String> out = new TreeMap<>();
        scaled.forEach((target, names) -> out.put(target, String.join(",", names)));
        return Optional.of(out);
    }

    @Override
    public Optional<Range> autoscalerRange(String namespace, String kind, String name) {
        return autoscalers == null ? Optional.empty() : autoscalers.getIndexer().byIndex(BY_TARGET,
                key(namespace, kind, name)).stream().findFirst().map(h -> new Range(h.getSpec().getMinReplicas() == null
                        ? 1 : h.getSpec().getMinReplicas(), h.getSpec().getMaxReplicas() == null ? 1
                        : h.getSpec().getMaxReplicas()));
    }

    @Override
    public Optional<List<PodDisruptionBudget>> disruptionBudgets(String namespace) {
        return budgets != null && budgets.hasSynced()
                ? Optional.of(budgets.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace)) : Optional.empty();
    }

    @Override
    public Optional<List<Workload>> workloads(String namespace) {
        return workloadsSynced() ? Optional.of(WorkloadIndex.in(workloads, namespace)) : Optional.empty();
    }

    private boolean workloadsSynced() {
        return deployments != null && deployments.hasSynced() && statefulSets.hasSynced();
    }

    @Override
    public Optional<Nodes> nodesWithout(String key) {
        return nodes != null && nodes.hasSynced() ? nodeLabels.without(key) : Optional.empty();
    }

    @Override
    public Optional<Backups> backups() {
        Optional<Boolean> installed = schedules == null ? Optional.empty() : schedules.installed();
        if (installed.isEmpty() || namespaces == null || !namespaces.hasSynced()) {
            return Optional.empty();
        }
        return Optional.of(new Backups(installed.get(), installed.get() ? schedules.trees() : List.of(),
                Set.copyOf(namespaces.getStore().listKeys())));
    }

    @Override
    public Optional<Set<String>> namespacesWithData() {
        if (claims == null || !claims.hasSynced() || !workloadsSynced()) {
            return Optional.empty();
        }
        Set<String> withData = new HashSet<>();
        claims.getStore().listKeys().forEach(key -> withData.add(key.substring(0, key.indexOf('/'))));
        for (StatefulSet set : statefulSets.getStore().list()) {
            if (set.getSpec() != null && set.getSpec().getVolumeClaimTemplates() != null
                    && !set.getSpec().getVolumeClaimTemplates().isEmpty()) {
                withData.add(set.getMetadata().getNamespace());
            }
        }
        return Optional.of(Set.copyOf(withData));
    }

    @Override
    public void close() {
        started.forEach(SharedIndexInformer::close);
        if (schedules != null) {
            schedules.close();
        }
    }
}

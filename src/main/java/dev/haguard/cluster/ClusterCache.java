package dev.haguard.cluster;

import dev.haguard.engine.ClusterView;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.concurrent.ConcurrentHashMap;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.ReducedStateItemStore;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Namespaces, HorizontalPodAutoscalers, PodDisruptionBudgets, the label keys of schedulable Nodes and the pod labels
 * of Deployments and StatefulSets, as informers see them: read on the request path, never fetched there. Nodes and
 * workloads are stored reduced to the fields read (a Node's status, with its image list, is most of its bytes).
 */
public final class ClusterCache implements ClusterView, AutoCloseable {

    private static final String BY_TARGET = "scaleTarget";

    private final SharedIndexInformer<Namespace> namespaces;
    private final SharedIndexInformer<HorizontalPodAutoscaler> autoscalers;
    private final SharedIndexInformer<Node> nodes;
    private final NodeLabels nodeLabels;
    private final SharedIndexInformer<PodDisruptionBudget> budgets;
    private final List<SharedIndexInformer<?>> workloadInformers;
    private final Map<String, Map<String, Workload>> workloads;
    private final CompletableFuture<Void> synced;
    private final SharedIndexInformer<PersistentVolumeClaim> claims;
    private final VeleroObjects schedules;

    private ClusterCache(SharedIndexInformer<Namespace> namespaces, SharedIndexInformer<HorizontalPodAutoscaler> autoscalers,
            SharedIndexInformer<Node> nodes, NodeLabels nodeLabels, SharedIndexInformer<PodDisruptionBudget> budgets,
            List<SharedIndexInformer<?>> workloadInformers, Map<String, Map<String, Workload>> workloads,
            SharedIndexInformer<PersistentVolumeClaim> claims, VeleroObjects schedules) {
        this.namespaces = namespaces;
        this.autoscalers = autoscalers;
        this.nodes = nodes;
        this.nodeLabels = nodeLabels;
        this.budgets = budgets;
        this.workloadInformers = workloadInformers;
        this.workloads = workloads;
        this.claims = claims;
        this.schedules = schedules;
        List<CompletableFuture<?>> started = new java.util.ArrayList<>(List.of(namespaces.start().toCompletableFuture(),
                autoscalers.start().toCompletableFuture(), nodes.start().toCompletableFuture(),
                budgets.start().toCompletableFuture(), claims.start().toCompletableFuture()));
        workloadInformers.forEach(i -> started.add(i.start().toCompletableFuture()));
        this.synced = CompletableFuture.allOf(started.toArray(CompletableFuture[]::new));
    }

    /** How often API discovery is asked whether Velero has been installed, while it is not. */
    static final Duration VELERO_RECHECK = Duration.ofMinutes(1);

    /** Starts the informers; they retry on their own when the API server is unreachable. */
    public static ClusterCache start(KubernetesClient client) {
        return start(client, VELERO_RECHECK);
    }

    static ClusterCache start(KubernetesClient client, Duration veleroRecheck) {
        SharedIndexInformer<Namespace> ns = client.namespaces().runnableInformer(0);
        SharedIndexInformer<HorizontalPodAutoscaler> hpa = client.autoscaling().v2().horizontalPodAutoscalers()
                .inAnyNamespace().runnableInformer(0);
        hpa.addIndexers(Map.of(BY_TARGET, ClusterCache::target));
        NodeLabels labels = new NodeLabels();
        SharedIndexInformer<Node> nodes = client.nodes().runnableInformer(0)
                .itemStore(new ReducedStateItemStore<>(ReducedStateItemStore.NAME_KEY_STATE, Node.class,
                        client.getKubernetesSerialization(), "metadata.labels", "spec.unschedulable", "spec.taints"));
        nodes.addEventHandler(labels);
        SharedIndexInformer<PodDisruptionBudget> pdbs = client.policy().v1().podDisruptionBudget().inAnyNamespace()
                .runnableInformer(0);
        Map<String, Map<String, Workload>> workloads = new ConcurrentHashMap<>();
        SharedIndexInformer<Deployment> deployments = client.apps().deployments().inAnyNamespace().runnableInformer(0)
                .itemStore(new ReducedStateItemStore<>(ReducedStateItemStore.NAME_KEY_STATE, Deployment.class,
                        client.getKubernetesSerialization(), "spec.replicas", "spec.template.metadata.labels"));
        deployments.addEventHandler(new WorkloadIndex<>(workloads));
        SharedIndexInformer<StatefulSet> statefulSets = client.apps().statefulSets().inAnyNamespace().runnableInformer(0)
                .itemStore(new ReducedStateItemStore<>(ReducedStateItemStore.NAME_KEY_STATE, StatefulSet.class,
                        client.getKubernetesSerialization(), "spec.replicas", "spec.template.metadata.labels",
                        "spec.volumeClaimTemplates"));
        statefulSets.addEventHandler(new WorkloadIndex<>(workloads));
        // Only which namespaces hold claims is read: each claim is kept as its key, namespace/name.
        SharedIndexInformer<PersistentVolumeClaim> claims = client.persistentVolumeClaims().inAnyNamespace()
                .runnableInformer(0).itemStore(new ReducedStateItemStore<>(ReducedStateItemStore.NAME_KEY_STATE,
                        PersistentVolumeClaim.class, client.getKubernetesSerialization()));
        for (SharedIndexInformer<?> informer : List.of(ns, hpa, nodes, pdbs, deployments, statefulSets, claims)) {
            informer.exceptionHandler((started, t) -> true);
        }
        return new ClusterCache(ns, hpa, nodes, labels, pdbs, List.of(deployments, statefulSets), workloads, claims,
                new VeleroObjects(client, Velero.SCHEDULES, veleroRecheck));
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

    @Override
    public Map<String, String> namespaceLabels(String namespace) {
        Namespace ns = namespace == null || namespace.isEmpty() ? null : namespaces.getStore().getByKey(namespace);
        return ns == null || ns.getMetadata().getLabels() == null ? Map.of() : ns.getMetadata().getLabels();
    }

    @Override
    public Optional<String> autoscaler(String namespace, String kind, String name) {
        return autoscalers(namespace, kind, name).stream().findFirst();
    }

    @Override
    public List<String> autoscalers(String namespace, String kind, String name) {
        return autoscalers.getIndexer().byIndex(BY_TARGET, key(namespace, kind, name)).stream()
                .map(h -> h.getMetadata().getName()).sorted().toList();
    }

    @Override
    public Optional<Map<String, String>> autoscaled() {
        if (!autoscalers.hasSynced()) {
            return Optional.empty();
        }
        Map<String, TreeSet<String>> scaled = new TreeMap<>();
        for (HorizontalPodAutoscaler h : autoscalers.getStore().list()) {
            target(h).forEach(target -> scaled.computeIfAbsent(target, t -> new TreeSet<>()).add(h.getMetadata().getName()));
        }
        Map<String, String> out = new TreeMap<>();
        scaled.forEach((target, names) -> out.put(target, String.join(",", names)));
        return Optional.of(out);
    }

    @Override
    public Optional<Range> autoscalerRange(String namespace, String kind, String name) {
        return autoscalers.getIndexer().byIndex(BY_TARGET, key(namespace, kind, name)).stream().findFirst()
                .map(h -> new Range(h.getSpec().getMinReplicas() == null ? 1 : h.getSpec().getMinReplicas(),
                        h.getSpec().getMaxReplicas() == null ? 1 : h.getSpec().getMaxReplicas()));
    }

    @Override
    public Optional<List<PodDisruptionBudget>> disruptionBudgets(String namespace) {
        return budgets.hasSynced() ? Optional.of(budgets.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace))
                : Optional.empty();
    }

    @Override
    public Optional<List<Workload>> workloads(String namespace) {
        return workloadInformers.stream().allMatch(SharedIndexInformer::hasSynced)
                ? Optional.of(WorkloadIndex.in(workloads, namespace)) : Optional.empty();
    }

    @Override
    public Optional<Nodes> nodesWithout(String key) {
        return nodes.hasSynced() ? nodeLabels.without(key) : Optional.empty();
    }

    @Override
    public Map<String, String> namespaceAnnotations(String namespace) {
        Namespace ns = namespace == null || namespace.isEmpty() ? null : namespaces.getStore().getByKey(namespace);
        return ns == null || ns.getMetadata().getAnnotations() == null ? Map.of() : ns.getMetadata().getAnnotations();
    }

    @Override
    public Optional<Backups> backups() {
        Optional<Boolean> installed = schedules.installed();
        if (installed.isEmpty() || !namespaces.hasSynced()) {
            return Optional.empty();
        }
        return Optional.of(new Backups(installed.get(), installed.get() ? schedules.trees() : List.of(),
                Set.copyOf(namespaces.getStore().listKeys())));
    }

    @Override
    public Optional<Set<String>> namespacesWithData() {
        if (!claims.hasSynced() || !workloadInformers.stream().allMatch(SharedIndexInformer::hasSynced)) {
            return Optional.empty();
        }
        Set<String> withData = new HashSet<>();
        claims.getStore().listKeys().forEach(key -> withData.add(key.substring(0, key.indexOf('/'))));
        for (Object o : workloadInformers.get(1).getStore().list()) {
            if (o instanceof StatefulSet set && set.getSpec() != null && set.getSpec().getVolumeClaimTemplates() != null
                    && !set.getSpec().getVolumeClaimTemplates().isEmpty()) {
                withData.add(set.getMetadata().getNamespace());
            }
        }
        return Optional.of(Set.copyOf(withData));
    }

    @Override
    public void close() {
        claims.close();
        schedules.close();
        namespaces.close();
        autoscalers.close();
        nodes.close();
        budgets.close();
        workloadInformers.forEach(SharedIndexInformer::close);
    }
}

package dev.haguard.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What ha-guard knows of the cluster beyond the request: read from informers' caches in the server,
 * from the manifests themselves offline. Never a call to the API server on the request path.
 */
public interface ClusterView {

    /** The labels of a namespace; empty when unknown. Every default here is "not known". */
    default Map<String, String> namespaceLabels(String namespace) {
        return Map.of();
    }

    /** The name of a HorizontalPodAutoscaler that scales the workload {@code kind/name}, if any. */
    default Optional<String> autoscaler(String namespace, String kind, String name) {
        return Optional.empty();
    }

    /** The names of every HorizontalPodAutoscaler that scales {@code kind/name}; at most the one {@link #autoscaler} knows. */
    default List<String> autoscalers(String namespace, String kind, String name) {
        return autoscaler(namespace, kind, name).map(List::of).orElse(List.of());
    }

    /**
     * Every workload an HPA scales, as "namespace/Kind/name" to the names of the HPAs that do, sorted and
     * comma-separated (the first is the one {@link #autoscaler} answers); empty when the autoscalers are not known yet.
     */
    default Optional<Map<String, String>> autoscaled() {
        return Optional.empty();
    }

    /**
     * How many schedulable nodes (not cordoned, no NoSchedule or NoExecute taint) there are, and how many of them lack
     * the label {@code key}; empty when the nodes are not known (offline, or before the cache is filled).
     */
    default Optional<Nodes> nodesWithout(String key) {
        return Optional.empty();
    }

    /** The replica range of the HorizontalPodAutoscaler that scales {@code kind/name}, if one does. */
    default Optional<Range> autoscalerRange(String namespace, String kind, String name) {
        return Optional.empty();
    }

    /** An HPA's minReplicas (1 where it writes none, as the API server defaults it) and maxReplicas. */
    record Range(int min, int max) {
    }

    /** The PodDisruptionBudgets of a namespace; empty when they are not known (no cache yet, no cluster). */
    default Optional<List<PodDisruptionBudget>> disruptionBudgets(String namespace) {
        return Optional.empty();
    }

    /** The Deployments and StatefulSets of a namespace; empty when they are not known. */
    default Optional<List<Workload>> workloads(String namespace) {
        return Optional.empty();
    }

    /**
     * What a rule works out from this view (an index over a namespace's budgets, say), one per {@code type}: made on
     * each call here, as a view that changes between calls (the admission caches) must; kept by a view that stands still
     * while many objects are judged against it (a scan), so that judging N objects costs N look-ups, not N passes.
     */
    default <T> T derived(Class<T> type, java.util.function.Function<ClusterView, T> make) {
        return make.apply(this);
    }

    /** A Deployment or StatefulSet as a PodDisruptionBudget sees it: its replicas and its pods' labels. */
    record Workload(String kind, String name, int replicas, Map<String, String> podLabels) {
    }

    /** The annotations of a namespace; empty when unknown. */
    default Map<String, String> namespaceAnnotations(String namespace) {
        return Map.of();
    }

    /** What is known of backups: Velero's Schedules and where data lives; empty when not known. */
    default Optional<Backups> backups() {
        return Optional.empty();
    }

    /**
     * Namespaces with PersistentVolumeClaims or StatefulSets with volumeClaimTemplates (a pod can only mount a claim
     * of its own namespace, so that covers pods mounting claims); empty when not known. Asked apart from
     * {@link #backups()}: it walks every claim, which only a Schedule change needs.
     */
    default Optional<Set<String>> namespacesWithData() {
        return Optional.empty();
    }

    /**
     * The cluster as the backups rule judges it.
     *
     * @param veleroInstalled false when the cluster has no Velero Schedule CRD
     * @param schedules Velero Schedules as stored
     * @param namespaces every namespace
     */
    record Backups(boolean veleroInstalled, List<JsonNode> schedules, Set<String> namespaces) {
    }

    /** Of {@code schedulable} nodes, {@code lacking} do not carry the label asked about. */
    record Nodes(int schedulable, int lacking) {
    }

    /** What a rule may ask of the view, with the resources ("group/plural") the server's caches list for it. */
    enum Need {
        NAMESPACES("/namespaces"),
        AUTOSCALERS("autoscaling/horizontalpodautoscalers"),
        NODES("/nodes"),
        BUDGETS("policy/poddisruptionbudgets"),
        WORKLOADS("apps/deployments", "apps/statefulsets"),
        CLAIMS("/persistentvolumeclaims"),
        SCHEDULES("velero.io/schedules");

        private final java.util.List<String> resources;

        Need(String... resources) {
            this.resources = java.util.List.of(resources);
        }

        public java.util.List<String> resources() {
            return resources;
        }
    }

    /** Knows nothing: no namespace labels, no autoscalers, no nodes, no budgets. */
    ClusterView NONE = new ClusterView() {
    };
}

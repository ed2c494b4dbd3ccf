package dev.haguard.engine;

import java.util.Map;
import java.util.Optional;

/**
 * What ha-guard knows of the cluster beyond the request: read from informers' caches in the server,
 * from the manifests themselves offline. Never a call to the API server on the request path.
 */
public interface ClusterView {

    /** The labels of a namespace; empty when unknown. */
    Map<String, String> namespaceLabels(String namespace);

    /** The name of a HorizontalPodAutoscaler that scales the workload {@code kind/name}, if any. */
    Optional<String> autoscaler(String namespace, String kind, String name);

    /**
     * How many schedulable nodes (not cordoned, no NoSchedule or NoExecute taint) there are, and how many of them lack
     * the label {@code key}; empty when the nodes are not known (offline, or before the cache is filled).
     */
    default Optional<Nodes> nodesWithout(String key) {
        return Optional.empty();
    }

    /** Of {@code schedulable} nodes, {@code lacking} do not carry the label asked about. */
    record Nodes(int schedulable, int lacking) {
    }

    /** Knows nothing: no namespace labels, no autoscalers, no nodes. */
    ClusterView NONE = new ClusterView() {
        @Override
        public Map<String, String> namespaceLabels(String namespace) {
            return Map.of();
        }

        @Override
        public Optional<String> autoscaler(String namespace, String kind, String name) {
            return Optional.empty();
        }
    };
}

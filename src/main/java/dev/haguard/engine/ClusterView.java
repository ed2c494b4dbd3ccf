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

    /** Knows nothing: no namespace labels, no autoscalers. */
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

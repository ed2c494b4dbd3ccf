package dev.haguard.cluster;

import dev.haguard.engine.ClusterView;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Deployments and StatefulSets by namespace, reduced to what a PodDisruptionBudget is judged against: replicas and
 * pod labels. Kept by the informers' events, so that a request reads a map, never the API server.
 */
final class WorkloadIndex<T extends HasMetadata> implements ResourceEventHandler<T> {

    private final Map<String, Map<String, ClusterView.Workload>> byNamespace;

    WorkloadIndex(Map<String, Map<String, ClusterView.Workload>> byNamespace) {
        this.byNamespace = byNamespace;
    }

    static List<ClusterView.Workload> in(Map<String, Map<String, ClusterView.Workload>> byNamespace, String namespace) {
        return List.copyOf(byNamespace.getOrDefault(namespace, Map.of()).values());
    }

    @Override
    public void onAdd(T object) {
        put(object);
    }

    @Override
    public void onUpdate(T oldObject, T object) {
        put(object);
    }

    @Override
    public void onDelete(T object, boolean deletedFinalStateUnknown) {
        Map<String, ClusterView.Workload> ns = byNamespace.get(object.getMetadata().getNamespace());
        if (ns != null) {
            ns.remove(object.getKind() + "/" + object.getMetadata().getName());
        }
    }

    private void put(T object) {
        Integer replicas = null;
        PodTemplateSpec template = null;
        if (object instanceof Deployment d && d.getSpec() != null) {
            replicas = d.getSpec().getReplicas();
            template = d.getSpec().getTemplate();
        } else if (object instanceof StatefulSet s && s.getSpec() != null) {
            replicas = s.getSpec().getReplicas();
            template = s.getSpec().getTemplate();
        }
        Map<String, String> labels = template == null || template.getMetadata() == null
                || template.getMetadata().getLabels() == null ? Map.of() : Map.copyOf(template.getMetadata().getLabels());
        byNamespace.computeIfAbsent(object.getMetadata().getNamespace(), n -> new ConcurrentHashMap<>())
                .put(object.getKind() + "/" + object.getMetadata().getName(), new ClusterView.Workload(object.getKind(),
                        object.getMetadata().getName(), replicas == null ? 1 : replicas, labels));
    }
}

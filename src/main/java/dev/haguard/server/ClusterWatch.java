package dev.haguard.server;

import dev.haguard.cluster.ClusterCache;
import dev.haguard.engine.ClusterView;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster as the engine sees it in the server: nothing until {@link ClusterConnection} has started the
 * informer caches, then whatever they hold.
 */
@ApplicationScoped
public class ClusterWatch implements ClusterView {

    private volatile ClusterView view = ClusterView.NONE;

    void use(ClusterCache cache) {
        view = cache;
    }

    @Override
    public Map<String, String> namespaceLabels(String namespace) {
        return view.namespaceLabels(namespace);
    }

    @Override
    public Optional<String> autoscaler(String namespace, String kind, String name) {
        return view.autoscaler(namespace, kind, name);
    }

    @Override
    public List<String> autoscalers(String namespace, String kind, String name) {
        return view.autoscalers(namespace, kind, name);
    }

    @Override
    public Optional<Map<String, String>> autoscaled() {
        return view.autoscaled();
    }

    @Override
    public Optional<Nodes> nodesWithout(String key) {
        return view.nodesWithout(key);
    }

    @Override
    public Optional<Range> autoscalerRange(String namespace, String kind, String name) {
        return view.autoscalerRange(namespace, kind, name);
    }

    @Override
    public Optional<List<io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget>> disruptionBudgets(
            String namespace) {
        return view.disruptionBudgets(namespace);
    }

    @Override
    public Optional<List<Workload>> workloads(String namespace) {
        return view.workloads(namespace);
    }
}

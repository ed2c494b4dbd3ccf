package dev.haguard.server;

import dev.haguard.cluster.ClusterCache;
import dev.haguard.engine.ClusterView;
import jakarta.enterprise.context.ApplicationScoped;
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
    public Optional<Nodes> nodesWithout(String key) {
        return view.nodesWithout(key);
    }
}

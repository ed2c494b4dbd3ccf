package dev.haguard.server;

import dev.haguard.engine.ClusterView;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Holds the cluster as the engine sees it in the server: {@link ClusterView#NONE} until {@link ClusterConnection} has
 * started the informer caches, then the caches themselves. It hands the view out whole rather than forwarding its
 * methods one by one: a forwarder that missed one (it once missed three) silently turned a rule off in the server.
 */
@ApplicationScoped
public class ClusterWatch {

    private volatile ClusterView view = ClusterView.NONE;

    void use(ClusterView cache) {
        view = cache;
    }

    /** The view to judge one request with. */
    public ClusterView current() {
        return view;
    }
}

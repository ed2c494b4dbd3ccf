package dev.haguard.cluster;

import dev.haguard.engine.ClusterView;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which label keys the schedulable nodes carry, kept up to date by the Node informer's events so that a request
 * only reads a snapshot. Schedulable: not cordoned and without a NoSchedule or NoExecute taint, the nodes an ordinary
 * pod can land on (a kubeadm control plane is tainted; a cordoned node takes no new pods).
 */
final class NodeLabels implements ResourceEventHandler<Node> {

    private record Snapshot(int schedulable, Map<String, Integer> having) {
    }

    private final Map<String, Set<String>> schedulable = new ConcurrentHashMap<>();
    private volatile Snapshot snapshot = new Snapshot(0, Map.of());

    Optional<ClusterView.Nodes> without(String key) {
        Snapshot s = snapshot;
        return Optional.of(new ClusterView.Nodes(s.schedulable(), s.schedulable() - s.having().getOrDefault(key, 0)));
    }

    @Override
    public void onAdd(Node node) {
        update(node);
    }

    @Override
    public void onUpdate(Node oldNode, Node node) {
        update(node);
    }

    @Override
    public void onDelete(Node node, boolean deletedFinalStateUnknown) {
        schedulable.remove(node.getMetadata().getName());
        recount();
    }

    private void update(Node node) {
        String name = node.getMetadata().getName();
        Set<String> before;
        if (schedulable(node)) {
            Map<String, String> labels = node.getMetadata().getLabels();
            Set<String> keys = labels == null ? Set.of() : Set.copyOf(labels.keySet());
            before = schedulable.put(name, keys);
            if (keys.equals(before)) {
                return; // a status update: nothing the snapshot counts changed
            }
        } else if (schedulable.remove(name) == null) {
            return;
        }
        recount();
    }

    private synchronized void recount() {
        Map<String, Integer> having = new HashMap<>();
        schedulable.values().forEach(keys -> keys.forEach(k -> having.merge(k, 1, Integer::sum)));
        snapshot = new Snapshot(schedulable.size(), Map.copyOf(having));
    }

    static boolean schedulable(Node node) {
        if (node.getSpec() == null) {
            return true;
        }
        if (Boolean.TRUE.equals(node.getSpec().getUnschedulable())) {
            return false;
        }
        return node.getSpec().getTaints() == null || node.getSpec().getTaints().stream()
                .noneMatch(t -> "NoSchedule".equals(t.getEffect()) || "NoExecute".equals(t.getEffect()));
    }
}

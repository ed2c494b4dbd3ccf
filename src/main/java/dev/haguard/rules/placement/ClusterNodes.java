package dev.haguard.rules.placement;

import dev.haguard.engine.Finding;
import dev.haguard.engine.StateFinding;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The cluster's own availability, from its Nodes: its control plane (the node-role labels kubeadm and most
 * distributions set), and whether the other zones have room for each zone's pods ({@link Capacity}). A managed
 * control plane (EKS, GKE, AKS) runs on no Node the cluster shows: there nothing is said about the control plane.
 */
final class ClusterNodes {

    static final String CONTROL_PLANE = "node-role.kubernetes.io/control-plane";
    /** The label before Kubernetes 1.24, still set by some distributions. */
    static final String MASTER = "node-role.kubernetes.io/master";

    private ClusterNodes() {
    }

    static List<StateFinding> findings(Collection<Placement.NodeInfo> nodes, Capacity capacity) {
        List<StateFinding> found = new ArrayList<>();
        List<Placement.NodeInfo> controlPlane = nodes.stream().filter(Placement.NodeInfo::controlPlane).toList();
        Set<String> zones = new TreeSet<>();
        nodes.stream().map(Placement.NodeInfo::zone).filter(z -> z != null).forEach(zones::add);
        Set<String> controlPlaneZones = new TreeSet<>();
        controlPlane.stream().map(Placement.NodeInfo::zone).filter(z -> z != null).forEach(controlPlaneZones::add);
        String names = String.join(", ", controlPlane.stream().map(Placement.NodeInfo::name).sorted().toList());
        if (!controlPlane.isEmpty() && controlPlane.size() < 3) {
            found.add(cluster(Finding.Kind.VIOLATION, controlPlane.size() + " control-plane node"
                    + (controlPlane.size() == 1 ? " (" + names + "): losing it" : "s (" + names + "): etcd's quorum "
                    + "needs both, so losing either") + " stops the API server: no deployments, no scheduling, no "
                    + "self-healing until it returns. Fix: run 3 control-plane nodes (kubeadm join --control-plane), "
                    + "each in its own zone where the cluster has zones; etcd needs 3 members to survive losing one.",
                    "control-plane-nodes"));
        } else if (controlPlane.size() >= 3 && zones.size() >= 2 && controlPlaneZones.size() == 1) {
            found.add(cluster(Finding.Kind.NOTICE, "all " + controlPlane.size() + " control-plane nodes (" + names
                    + ") are in zone " + controlPlaneZones.iterator().next() + " while the cluster has nodes in "
                    + zones.size() + " zones: a zone failure stops the API server while workers survive elsewhere. Fix: "
                    + "move control-plane nodes so that each of 3 zones has one.", "control-plane-one-zone"));
        }
        found.addAll(zoneLoss(nodes, capacity));
        return found;
    }

    /**
     * N+1 by zone: whether the other zones have room for the pods each zone runs, by their requests. One finding, on the
     * zone whose loss leaves the most pods Pending, naming the others that fall short too.
     */
    private static List<StateFinding> zoneLoss(Collection<Placement.NodeInfo> nodes, Capacity capacity) {
        Set<String> zones = new TreeSet<>();
        nodes.stream().filter(Placement.NodeInfo::schedulable).map(Placement.NodeInfo::zone).filter(z -> z != null)
                .forEach(zones::add);
        if (zones.size() < 2) {
            return List.of(); // single-zone-cluster says it
        }
        Map<String, Capacity.Result> lacking = new TreeMap<>();
        for (String zone : zones) {
            Capacity.Result r = capacity.lose(n -> zone.equals(n.zone()));
            if (!r.judged()) {
                return List.of();
            }
            if (!r.pending().isEmpty()) {
                lacking.put(zone, r);
            }
        }
        if (lacking.isEmpty()) {
            return List.of();
        }
        Map.Entry<String, Capacity.Result> worst = lacking.entrySet().stream().max(java.util.Comparator.comparingInt(
                (Map.Entry<String, Capacity.Result> e) -> e.getValue().pendingPods())).orElseThrow();
        Capacity.Result r = worst.getValue();
        List<String> others = lacking.entrySet().stream().filter(e -> !e.getKey().equals(worst.getKey()))
                .map(e -> e.getKey() + ": " + e.getValue().pendingPods() + " pods").toList();
        return List.of(cluster(Finding.Kind.NOTICE, "the cluster cannot absorb losing zone " + worst.getKey() + ": "
                + r.summary() + (others.isEmpty() ? "" : "; losing another zone falls short too (" + String.join(", ",
                others) + ")") + ". Fix: " + r.fix("in the other zones") + " (a node pool per zone sized for a "
                + "zone's loss, or the cluster autoscaler with room in every zone), or lower the pods' requests to what "
                + "they use.", "zone-capacity"));
    }

    private static StateFinding cluster(Finding.Kind verdict, String message, String check) {
        return new StateFinding("", StateFinding.CLUSTER, "", verdict, message, check);
    }
}

package dev.haguard.rules.placement;

import dev.haguard.engine.Finding;
import dev.haguard.engine.StateFinding;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The cluster's own availability, from its Nodes: its control plane (the node-role labels kubeadm and most
 * distributions set) and each zone's share of the schedulable CPU. A managed control plane (EKS, GKE, AKS) runs on
 * no Node the cluster shows: there nothing is said about the control plane, and only the zones' shares are judged.
 */
final class ClusterNodes {

    static final String CONTROL_PLANE = "node-role.kubernetes.io/control-plane";
    /** The label before Kubernetes 1.24, still set by some distributions. */
    static final String MASTER = "node-role.kubernetes.io/master";

    private ClusterNodes() {
    }

    static List<StateFinding> findings(Collection<Placement.NodeInfo> nodes) {
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
        Map<String, Long> cpu = new TreeMap<>();
        nodes.stream().filter(n -> n.schedulable() && n.zone() != null && n.milliCpu() > 0)
                .forEach(n -> cpu.merge(n.zone(), n.milliCpu(), Long::sum));
        long total = cpu.values().stream().mapToLong(Long::longValue).sum();
        if (cpu.size() >= 2) {
            Map.Entry<String, Long> largest = cpu.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
            if (largest.getValue() * 2 > total) {
                found.add(cluster(Finding.Kind.NOTICE, String.format(Locale.ROOT, "zone %s holds %d%% of the "
                        + "schedulable CPU (%s of %s cores): losing it removes more than half the cluster's capacity, "
                        + "more than the other %d zone%s can take on. Fix: balance the node pools across the zones "
                        + "(about %d%% each).", largest.getKey(), largest.getValue() * 100 / total,
                        cores(largest.getValue()), cores(total), cpu.size() - 1, cpu.size() == 2 ? "" : "s",
                        100 / cpu.size()), "zone-capacity"));
            }
        }
        return found;
    }

    private static StateFinding cluster(Finding.Kind verdict, String message, String check) {
        return new StateFinding("", StateFinding.CLUSTER, "", verdict, message, check);
    }

    private static String cores(long milli) {
        return milli % 1000 == 0 ? String.valueOf(milli / 1000) : String.format(Locale.ROOT, "%.1f", milli / 1000.0);
    }
}

package dev.haguard.rules.placement;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haguard.engine.Finding;
import dev.haguard.engine.StateFinding;
import dev.haguard.engine.Stored;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where the ready replicas of each Deployment and StatefulSet actually run, from live state (pods' spec.nodeName and
 * their Nodes' hostname, zone and region labels). Every object is visited a fixed number of times: pods are indexed by
 * owner once, never matched against each workload.
 */
final class Placement {

    static final String ZONE = "topology.kubernetes.io/zone";
    static final String REGION = "topology.kubernetes.io/region";
    private static final Set<String> ZONE_KEYS = Set.of(ZONE, "topology.gke.io/zone",
            "failure-domain.beta.kubernetes.io/zone", "topology.ebs.csi.aws.com/zone");

    /** A Node: its zone and region, whether pods can be scheduled on it, whether it is a control-plane node. */
    record NodeInfo(String name, String zone, String region, boolean schedulable, boolean controlPlane) {
        /** A node a pod names that the input does not hold. */
        NodeInfo(String name) {
            this(name, null, null, true, false);
        }
    }

    /** A Deployment or StatefulSet with where its ready pods run. */
    record Workload(String namespace, String kind, String name, int desired, List<NodeInfo> ready,
            Set<String> volumeZones, JsonNode podLabels) {
    }

    /** A ready pod: the node it runs on and the claims it mounts. */
    private record ReadyPod(String node, List<String> claims) {
    }

    final Map<String, NodeInfo> nodes = new HashMap<>();
    final List<Workload> workloads = new ArrayList<>();
    /** Each pod's requests where it runs, for what a failure leaves Pending. */
    final Capacity capacity;

    Placement(Stored stored) {
        nodes.putAll(nodes(stored));
        capacity = new Capacity(stored.of("Node"), nodes);
        // A Deployment's pods are owned by its ReplicaSets: count them under the Deployment. Of each pod only where it
        // runs, the claims it mounts and its requests are kept: a scan of a large cluster never holds its pods' trees.
        Map<String, JsonNode> replicaSetOwners = new HashMap<>();
        stored.of("ReplicaSet").forEach(rs -> replicaSetOwners.put(rs.path("metadata").path("uid").asText(),
                controllerReference(rs)));
        Map<String, List<ReadyPod>> podsByWorkload = new HashMap<>();
        for (JsonNode pod : stored.of("Pod")) {
            JsonNode top = controllerReference(pod);
            if (top != null && top.path("kind").asText().equals("ReplicaSet")) {
                JsonNode above = replicaSetOwners.get(top.path("uid").asText());
                top = above == null ? top : above;
            }
            capacity.add(pod, top == null ? null : top.path("kind").asText(), top == null ? null
                    : top.path("name").asText());
            if (ready(pod)) {
                String workload = top == null ? "" : top.path("uid").asText();
                List<String> claims = new ArrayList<>();
                for (JsonNode v : pod.path("spec").path("volumes")) {
                    String claim = v.path("persistentVolumeClaim").path("claimName").asText(null);
                    if (claim != null) {
                        claims.add(claim);
                    }
                }
                podsByWorkload.computeIfAbsent(workload, k -> new ArrayList<>()).add(new ReadyPod(
                        pod.path("spec").path("nodeName").asText(), claims.isEmpty() ? List.of() : claims));
            }
        }
        Map<String, String> claimToVolume = new HashMap<>();
        stored.of("PersistentVolumeClaim").forEach(c -> claimToVolume.put(c.path("metadata").path("namespace").asText()
                + "/" + c.path("metadata").path("name").asText(), c.path("spec").path("volumeName").asText()));
        Map<String, JsonNode> volumes = new HashMap<>();
        stored.of("PersistentVolume").forEach(v -> volumes.put(v.path("metadata").path("name").asText(), v));
        for (String kind : List.of("Deployment", "StatefulSet")) {
            for (JsonNode w : stored.of(kind)) {
                JsonNode meta = w.path("metadata");
                List<ReadyPod> pods = podsByWorkload.getOrDefault(meta.path("uid").asText(), List.of());
                List<NodeInfo> ready = new ArrayList<>();
                Set<String> volumeZones = new TreeSet<>();
                for (ReadyPod pod : pods) {
                    ready.add(nodes.getOrDefault(pod.node(), new NodeInfo(pod.node())));
                    for (String claim : kind.equals("StatefulSet") ? pod.claims() : List.<String>of()) {
                        volumeZones.addAll(zonesOf(volumes.get(claimToVolume.get(meta.path("namespace").asText() + "/"
                                + claim))));
                    }
                }
                workloads.add(new Workload(meta.path("namespace").asText(), kind, meta.path("name").asText(),
                        w.path("spec").path("replicas").asInt(1), ready, volumeZones,
                        w.path("spec").path("template").path("metadata").path("labels")));
            }
        }
    }

    /** The zones with schedulable nodes. */
    Set<String> zones() {
        Set<String> zones = new TreeSet<>();
        nodes.values().stream().filter(NodeInfo::schedulable).map(NodeInfo::zone).filter(z -> z != null)
                .forEach(zones::add);
        return zones;
    }

    /** Findings from where pods run now; none when the input holds no Nodes (a manifest repository, not a cluster). */
    List<StateFinding> findings() {
        List<StateFinding> found = new ArrayList<>();
        if (nodes.isEmpty()) {
            return found;
        }
        Set<String> zones = zones();
        if (zones.size() <= 1) {
            found.add(new StateFinding("", StateFinding.CLUSTER, "", Finding.Kind.NOTICE, "every schedulable node is in "
                    + (zones.isEmpty() ? "no zone (no " + ZONE + " label)" : "zone " + zones.iterator().next())
                    + ": a zone failure is a cluster outage, and no workload can spread across zones. Fix: add nodes in "
                    + "a second and third zone (a node pool per zone).", "single-zone-cluster"));
        }
        found.addAll(ClusterNodes.findings(nodes.values(), capacity));
        for (Workload w : workloads) {
            found.addAll(findings(w, zones));
        }
        return found;
    }

    /** The input's Nodes by name: all the what-if needs to know which domains exist, without a pass over the pods. */
    static Map<String, NodeInfo> nodes(Stored stored) {
        Map<String, NodeInfo> nodes = new HashMap<>();
        for (JsonNode n : stored.of("Node")) {
            JsonNode meta = n.path("metadata");
            boolean tainted = false;
            for (JsonNode t : n.path("spec").path("taints")) {
                tainted |= Set.of("NoSchedule", "NoExecute").contains(t.path("effect").asText());
            }
            nodes.put(meta.path("name").asText(), new NodeInfo(meta.path("name").asText(),
                    meta.path("labels").path(ZONE).asText(null), meta.path("labels").path(REGION).asText(null),
                    !n.path("spec").path("unschedulable").asBoolean() && !tainted,
                    meta.path("labels").has(ClusterNodes.CONTROL_PLANE) || meta.path("labels").has(ClusterNodes.MASTER)));
        }
        return nodes;
    }

    private static List<StateFinding> findings(Workload w, Set<String> zones) {
        List<StateFinding> found = new ArrayList<>();
        int ready = w.ready().size();
        if (ready < w.desired()) {
            found.add(finding(w, Finding.Kind.NOTICE, ready + " of " + w.desired() + " replicas ready: it has less "
                    + "headroom than its spec says. Fix: see why with kubectl describe " + w.kind().toLowerCase() + " "
                    + w.name() + " -n " + w.namespace(), ""));
        }
        Set<String> onNodes = new HashSet<>();
        Set<String> inZones = new HashSet<>();
        w.ready().forEach(n -> {
            onNodes.add(n.name());
            if (n.zone() != null) {
                inZones.add(n.zone());
            }
        });
        if (w.desired() >= 2 && ready >= 2 && onNodes.size() == 1) {
            found.add(finding(w, Finding.Kind.VIOLATION, "all " + ready + " ready replicas run on node "
                    + onNodes.iterator().next() + ": losing that node is an outage. Fix: spread it "
                    + "(topologySpreadConstraints on kubernetes.io/hostname; ha-guard's mutating webhook adds them to new "
                    + "pods, so a rollout restart applies them).", "one-node"));
        } else if (w.desired() >= 2 && ready >= 2 && zones.size() >= 2 && inZones.size() == 1) {
            found.add(finding(w, Finding.Kind.NOTICE, "all " + ready + " ready replicas run in zone "
                    + inZones.iterator().next() + " while the cluster has " + zones.size() + " zones: a zone failure is "
                    + "an outage. Fix: spread it on " + ZONE + " (kubectl rollout restart after ha-guard's webhook adds "
                    + "the constraint).", "one-zone"));
        }
        if (w.volumeZones().size() == 1 && zones.size() >= 2) {
            found.add(finding(w, Finding.Kind.NOTICE, "its volumes are pinned to zone " + w.volumeZones().iterator()
                    .next() + " (PersistentVolume nodeAffinity): its data cannot follow a zone failover. Fix: replicate "
                    + "at the application level across zones, or back it up to restore elsewhere.", ""));
        }
        return found;
    }

    private static StateFinding finding(Workload w, Finding.Kind verdict, String message, String check) {
        return new StateFinding(w.namespace(), w.kind(), w.name(), verdict, message, check);
    }

    private static boolean ready(JsonNode pod) {
        if (pod.path("metadata").has("deletionTimestamp")) {
            return false;
        }
        for (JsonNode c : pod.path("status").path("conditions")) {
            if (c.path("type").asText().equals("Ready")) {
                return c.path("status").asText().equals("True");
            }
        }
        return false;
    }

    /** Its owner reference with {@code controller: true}, or null. */
    private static JsonNode controllerReference(JsonNode o) {
        for (JsonNode owner : o.path("metadata").path("ownerReferences")) {
            if (owner.path("controller").asBoolean()) {
                return owner;
            }
        }
        return null;
    }

    /** The zones a PersistentVolume's required node affinity pins it to. */
    private static Set<String> zonesOf(JsonNode pv) {
        Set<String> zones = new TreeSet<>();
        if (pv == null) {
            return zones;
        }
        for (JsonNode term : pv.path("spec").path("nodeAffinity").path("required").path("nodeSelectorTerms")) {
            for (JsonNode e : term.path("matchExpressions")) {
                if (ZONE_KEYS.contains(e.path("key").asText()) && e.path("operator").asText().equals("In")) {
                    e.path("values").forEach(v -> zones.add(v.asText()));
                }
            }
        }
        return zones;
    }
}

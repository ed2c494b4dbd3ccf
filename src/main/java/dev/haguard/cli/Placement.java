package dev.haguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haguard.cli.ScanCommand.Found;
import dev.haguard.cli.ScanCommand.Severity;
import dev.haguard.json.Json;
import dev.haguard.rules.common.Selectors;
import dev.haguard.rules.disruptionbudgets.Budgets;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where the ready replicas of each Deployment and StatefulSet actually run, from live state (pods' spec.nodeName and
 * their Nodes' hostname, zone and region labels), and what a node, zone or region failure would take down. Every
 * object is visited a fixed number of times: pods are indexed by owner once, never matched against each workload.
 */
final class Placement {

    static final String ZONE = "topology.kubernetes.io/zone";
    static final String REGION = "topology.kubernetes.io/region";

    /** A failure domain for the what-if: node=NAME, zone=Z or region=R. */
    record Domain(String key, String value) {
        static Domain parse(String text) {
            int eq = text.indexOf('=');
            String key = eq < 0 ? "" : text.substring(0, eq);
            if (!Set.of("node", "zone", "region").contains(key) || eq == text.length() - 1) {
                throw new IllegalArgumentException("--fail takes node=NAME, zone=ZONE or region=REGION, not \"" + text + "\"");
            }
            return new Domain(key, text.substring(eq + 1));
        }

        boolean contains(NodeInfo node) {
            return switch (key) {
                case "node" -> node.name().equals(value);
                case "zone" -> value.equals(node.zone());
                default -> value.equals(node.region());
            };
        }

        @Override
        public String toString() {
            return key + "=" + value;
        }
    }

    record NodeInfo(String name, String zone, String region, boolean schedulable) {
    }

    /** A Deployment or StatefulSet with where its ready pods run. */
    private record Workload(String namespace, String kind, String name, int desired, List<NodeInfo> ready,
            Set<String> volumeZones, JsonNode podLabels) {
        String object() {
            return kind + " " + name;
        }
    }

    private final Map<String, NodeInfo> nodes = new HashMap<>();
    private final List<Workload> workloads = new ArrayList<>();
    private final List<JsonNode> budgets = new ArrayList<>();
    private final Map<String, List<PodDisruptionBudget>> typedBudgets = new HashMap<>();
    private final Map<String, List<String>> autoscalersByTarget = new LinkedHashMap<>();

    Placement(List<Manifests.Document> docs) {
        Map<String, JsonNode> byUid = new HashMap<>();
        Map<String, List<JsonNode>> podsByOwner = new HashMap<>();
        Map<String, JsonNode> volumes = new HashMap<>();
        Map<String, String> claimToVolume = new HashMap<>();
        List<JsonNode> controllers = new ArrayList<>();
        for (Manifests.Document doc : docs) {
            JsonNode o = doc.content();
            JsonNode meta = o.path("metadata");
            byUid.put(meta.path("uid").asText(), o);
            switch (o.path("kind").asText()) {
                case "Node" -> {
                    JsonNode labels = meta.path("labels");
                    boolean cordoned = o.path("spec").path("unschedulable").asBoolean();
                    boolean tainted = false;
                    for (JsonNode t : o.path("spec").path("taints")) {
                        tainted |= Set.of("NoSchedule", "NoExecute").contains(t.path("effect").asText());
                    }
                    nodes.put(meta.path("name").asText(), new NodeInfo(meta.path("name").asText(),
                            labels.path(ZONE).asText(null), labels.path(REGION).asText(null), !cordoned && !tainted));
                }
                case "Pod" -> {
                    if (ready(o)) {
                        podsByOwner.computeIfAbsent(controller(o), k -> new ArrayList<>()).add(o);
                    }
                }
                case "Deployment", "StatefulSet" -> controllers.add(o);
                case "PodDisruptionBudget" -> budgets.add(o);
                case "PersistentVolume" -> volumes.put(meta.path("name").asText(), o);
                case "PersistentVolumeClaim" -> claimToVolume.put(meta.path("namespace").asText() + "/"
                        + meta.path("name").asText(), o.path("spec").path("volumeName").asText());
                case "HorizontalPodAutoscaler" -> {
                    JsonNode target = o.path("spec").path("scaleTargetRef");
                    autoscalersByTarget.computeIfAbsent(meta.path("namespace").asText() + "/" + target.path("kind")
                            .asText() + "/" + target.path("name").asText(), k -> new ArrayList<>())
                            .add(meta.path("name").asText());
                }
                default -> { }
            }
        }
        // A Deployment's pods are owned by its ReplicaSets: count them under the Deployment.
        Map<String, List<JsonNode>> podsByWorkload = new HashMap<>();
        podsByOwner.forEach((owner, pods) -> {
            JsonNode rs = byUid.get(owner);
            String workload = rs != null && rs.path("kind").asText().equals("ReplicaSet") ? controller(rs) : owner;
            podsByWorkload.computeIfAbsent(workload, k -> new ArrayList<>()).addAll(pods);
        });
        for (JsonNode w : controllers) {
            JsonNode meta = w.path("metadata");
            List<NodeInfo> ready = new ArrayList<>();
            for (JsonNode pod : podsByWorkload.getOrDefault(meta.path("uid").asText(), List.of())) {
                String node = pod.path("spec").path("nodeName").asText();
                ready.add(nodes.getOrDefault(node, new NodeInfo(node, null, null, true)));
            }
            Set<String> volumeZones = new TreeSet<>();
            if (w.path("kind").asText().equals("StatefulSet")) {
                for (JsonNode pod : podsByWorkload.getOrDefault(meta.path("uid").asText(), List.of())) {
                    for (JsonNode v : pod.path("spec").path("volumes")) {
                        String claim = v.path("persistentVolumeClaim").path("claimName").asText(null);
                        JsonNode pv = claim == null ? null : volumes.get(claimToVolume.get(meta.path("namespace").asText()
                                + "/" + claim));
                        volumeZones.addAll(zonesOf(pv));
                    }
                }
            }
            workloads.add(new Workload(meta.path("namespace").asText(), w.path("kind").asText(), meta.path("name").asText(),
                    w.path("spec").path("replicas").asInt(1), ready, volumeZones,
                    w.path("spec").path("template").path("metadata").path("labels")));
        }
    }

    /**
     * Why the what-if cannot fail these domains, naming the known ones; null when every domain names a node, zone or
     * region the input's Nodes have. A domain nobody has would answer "nothing lost", which is no answer.
     */
    static String unknown(List<Domain> failed, List<Manifests.Document> docs) {
        if (failed.isEmpty()) {
            return null;
        }
        Map<String, Set<String>> known = new HashMap<>(Map.of("node", new TreeSet<>(), "zone", new TreeSet<>(),
                "region", new TreeSet<>()));
        for (Manifests.Document doc : docs) {
            JsonNode o = doc.content();
            if (o.path("kind").asText().equals("Node") && o.path("apiVersion").asText().equals("v1")) {
                JsonNode meta = o.path("metadata");
                known.get("node").add(meta.path("name").asText());
                java.util.Optional.ofNullable(meta.path("labels").path(ZONE).textValue()).ifPresent(known.get("zone")::add);
                java.util.Optional.ofNullable(meta.path("labels").path(REGION).textValue())
                        .ifPresent(known.get("region")::add);
            }
        }
        if (known.get("node").isEmpty()) {
            return "--fail needs Nodes to know where replicas run: scan a live cluster (with list on nodes), or a dump "
                    + "that holds them (kubectl get nodes,pods,... -A -o yaml)";
        }
        for (Domain d : failed) {
            if (!known.get(d.key()).contains(d.value())) {
                return "--fail " + d + ": no node " + (d.key().equals("node") ? "is named " + d.value()
                        : "has " + (d.key().equals("zone") ? ZONE : REGION) + "=" + d.value()) + "; known " + d.key()
                        + "s: " + (known.get(d.key()).isEmpty() ? "none (no node has that label)"
                        : String.join(", ", known.get(d.key())));
            }
        }
        return null;
    }

    /** Findings from where pods run now; empty when the input holds no Nodes (a manifest repository, not a cluster). */
    List<Found> findings() {
        List<Found> found = new ArrayList<>();
        if (nodes.isEmpty()) {
            return found;
        }
        Set<String> zones = new TreeSet<>();
        nodes.values().stream().filter(NodeInfo::schedulable).map(NodeInfo::zone).filter(z -> z != null)
                .forEach(zones::add);
        if (zones.size() <= 1) {
            found.add(new Found("(cluster)", "Cluster", "placement", Severity.medium, "every schedulable node is in "
                    + (zones.isEmpty() ? "no zone (no " + ZONE + " label)" : "zone " + zones.iterator().next())
                    + ": a zone failure is a cluster outage, and no workload can spread across zones. Fix: add nodes in "
                    + "a second and third zone (a node pool per zone).", "single-zone-cluster"));
        }
        for (Workload w : workloads) {
            int ready = w.ready().size();
            if (ready < w.desired()) {
                found.add(new Found(w.namespace(), w.object(), "placement", Severity.medium, ready + " of " + w.desired()
                        + " replicas ready: it has less headroom than its spec says. Fix: see why with kubectl describe "
                        + w.kind().toLowerCase() + " " + w.name() + " -n " + w.namespace()));
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
                found.add(new Found(w.namespace(), w.object(), "placement", Severity.high, "all " + ready
                        + " ready replicas run on node " + onNodes.iterator().next() + ": losing that node is an outage. "
                        + "Fix: spread it (topologySpreadConstraints on kubernetes.io/hostname; ha-guard's mutating "
                        + "webhook adds them to new pods, so a rollout restart applies them).", "one-node"));
            } else if (w.desired() >= 2 && ready >= 2 && zones.size() >= 2 && inZones.size() == 1) {
                found.add(new Found(w.namespace(), w.object(), "placement", Severity.medium, "all " + ready
                        + " ready replicas run in zone " + inZones.iterator().next() + " while the cluster has " + zones.size()
                        + " zones: a zone failure is an outage. Fix: spread it on " + ZONE + " (kubectl rollout restart "
                        + "after ha-guard's webhook adds the constraint).", "one-zone"));
            }
            if (w.volumeZones().size() == 1 && zones.size() >= 2) {
                found.add(new Found(w.namespace(), w.object(), "placement", Severity.medium, "its volumes are pinned to "
                        + "zone " + w.volumeZones().iterator().next() + " (PersistentVolume nodeAffinity): its data cannot "
                        + "follow a zone failover. Fix: replicate at the application level across zones, or back it up "
                        + "to restore elsewhere."));
            }
            String key = w.namespace() + "/" + w.kind() + "/" + w.name();
            List<String> hpas = autoscalersByTarget.getOrDefault(key, List.of());
            if (hpas.size() > 1) {
                found.add(new Found(w.namespace(), w.object(), "placement", Severity.high, "HorizontalPodAutoscalers "
                        + String.join(" and ", hpas) + " both scale it and fight over its replicas. Fix: delete all but one."));
            }
        }
        for (JsonNode b : budgets) {
            JsonNode status = b.path("status");
            if (status.has("disruptionsAllowed") && status.path("disruptionsAllowed").asInt() == 0
                    && status.path("expectedPods").asInt() > 0
                    && status.path("currentHealthy").asInt() >= status.path("expectedPods").asInt()) {
                found.add(new Found(b.path("metadata").path("namespace").asText(), "PodDisruptionBudget "
                        + b.path("metadata").path("name").asText(), "disruptionBudgets", Severity.high,
                        "allows no disruption right now although all " + status.path("expectedPods").asInt()
                                + " pods are healthy: every drain of their nodes blocks. Fix: maxUnavailable: 1.",
                        "drain-blocking"));
            }
        }
        return found;
    }

    /**
     * What failing these domains now would take down, most severe first: workloads that lose every ready replica
     * (high), that drop below their PodDisruptionBudget's minimum (medium), that lose some (low), and single-zone
     * volumes in a failed zone (high).
     */
    List<Found> whatIf(List<Domain> failed) {
        List<Found> found = new ArrayList<>();
        for (Workload w : workloads) {
            long lost = w.ready().stream().filter(n -> failed.stream().anyMatch(d -> d.contains(n))).count();
            int left = w.ready().size() - (int) lost;
            Integer minimum = minimumHealthy(w);
            if (w.ready().size() > 0 && left == 0) {
                found.add(new Found(w.namespace(), w.object(), "what-if", Severity.high, "loses all " + w.ready().size()
                        + " ready replicas: an outage"));
            } else if (lost > 0 && minimum != null && left < minimum) {
                found.add(new Found(w.namespace(), w.object(), "what-if", Severity.medium, "loses " + lost + " of "
                        + w.ready().size() + " ready replicas; " + left + " left, below its PodDisruptionBudget's "
                        + "minimum of " + minimum + ": no voluntary eviction until it recovers"));
            } else if (lost > 0) {
                found.add(new Found(w.namespace(), w.object(), "what-if", Severity.low, "loses " + lost + " of "
                        + w.ready().size() + " ready replicas; " + left + " left"));
            }
            for (String zone : w.volumeZones()) {
                if (failed.stream().anyMatch(d -> d.key().equals("zone") && d.value().equals(zone))) {
                    found.add(new Found(w.namespace(), w.object(), "what-if", Severity.high, "loses its volumes, pinned "
                            + "to zone " + zone + ": the data is unavailable until the zone returns or a restore"));
                }
            }
        }
        found.sort(java.util.Comparator.comparing(Found::severity).reversed().thenComparing(Found::namespace)
                .thenComparing(Found::object));
        return found;
    }

    /** The pods its PodDisruptionBudget keeps at its desired replicas, or null when none selects it. */
    private Integer minimumHealthy(Workload w) {
        Map<String, String> labels = new HashMap<>();
        w.podLabels().properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
        if (typedBudgets.isEmpty()) {
            budgets.forEach(b -> typedBudgets.computeIfAbsent(b.path("metadata").path("namespace").asText(),
                    n -> new ArrayList<>()).add(Json.KUBE.convertValue(b, PodDisruptionBudget.class)));
        }
        for (PodDisruptionBudget pdb : typedBudgets.getOrDefault(w.namespace(), List.of())) {
            if (pdb.getSpec() != null && Selectors.matches(pdb.getSpec().getSelector(), labels)) {
                return Budgets.minimumHealthy(pdb, w.desired());
            }
        }
        return null;
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

    private static String controller(JsonNode o) {
        for (JsonNode owner : o.path("metadata").path("ownerReferences")) {
            if (owner.path("controller").asBoolean()) {
                return owner.path("uid").asText();
            }
        }
        return "";
    }

    /** The zones a PersistentVolume's required node affinity pins it to. */
    private static Set<String> zonesOf(JsonNode pv) {
        Set<String> zones = new TreeSet<>();
        if (pv == null) {
            return zones;
        }
        for (JsonNode term : pv.path("spec").path("nodeAffinity").path("required").path("nodeSelectorTerms")) {
            for (JsonNode e : term.path("matchExpressions")) {
                if (Set.of(ZONE, "topology.gke.io/zone", "failure-domain.beta.kubernetes.io/zone", "topology.ebs.csi.aws.com/zone")
                        .contains(e.path("key").asText()) && e.path("operator").asText().equals("In")) {
                    e.path("values").forEach(v -> zones.add(v.asText()));
                }
            }
        }
        return zones;
    }
}

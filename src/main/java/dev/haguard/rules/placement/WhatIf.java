package dev.haguard.rules.placement;

import dev.haguard.engine.Stored;
import dev.haguard.json.Json;
import dev.haguard.rules.common.SelectorIndex;
import dev.haguard.rules.disruptionbudgets.Budgets;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What failing nodes, zones or regions now would take down, from where ready replicas run. It answers a question, so
 * it covers every namespace, exempt ones too: losing kube-system's DNS is an outage whatever the policy judges.
 */
public final class WhatIf {

    /** A failure domain: node=NAME, zone=Z or region=R. */
    public record Domain(String key, String value) {

        public static Domain parse(String text) {
            int eq = text.indexOf('=');
            String key = eq < 0 ? "" : text.substring(0, eq);
            if (!Set.of("node", "zone", "region").contains(key) || eq == text.length() - 1) {
                throw new IllegalArgumentException("--fail takes node=NAME, zone=ZONE or region=REGION, not \"" + text
                        + "\"");
            }
            return new Domain(key, text.substring(eq + 1));
        }

        boolean contains(Placement.NodeInfo node) {
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

    /** How bad a loss is, least first: CAPACITY is pods that would stay Pending for want of room. */
    public enum Impact { DEGRADED, CAPACITY, BELOW_BUDGET, OUTAGE }

    /** What one workload would lose. */
    public record Loss(String namespace, String kind, String name, Impact impact, String message) {
    }

    private WhatIf() {
    }

    /**
     * Why the what-if cannot fail these domains in this input, naming the known ones; null when every domain names a
     * node, zone or region the input's Nodes have. A domain nobody has would answer "nothing lost", which is no answer.
     */
    public static String unknown(List<Domain> failed, Stored stored) {
        if (failed.isEmpty()) {
            return null;
        }
        Map<String, Set<String>> known = Map.of("node", new TreeSet<>(), "zone", new TreeSet<>(), "region",
                new TreeSet<>());
        for (Placement.NodeInfo n : Placement.nodes(stored).values()) {
            known.get("node").add(n.name());
            if (n.zone() != null) {
                known.get("zone").add(n.zone());
            }
            if (n.region() != null) {
                known.get("region").add(n.region());
            }
        }
        if (known.get("node").isEmpty()) {
            return "--fail needs Nodes to know where replicas run: scan a live cluster (with list on nodes), or a dump "
                    + "that holds them (kubectl get nodes,pods,... -A -o yaml)";
        }
        for (Domain d : failed) {
            if (!known.get(d.key()).contains(d.value())) {
                return "--fail " + d + ": no node " + (d.key().equals("node") ? "is named " + d.value()
                        : "has " + (d.key().equals("zone") ? Placement.ZONE : Placement.REGION) + "=" + d.value())
                        + "; known " + d.key() + "s: " + (known.get(d.key()).isEmpty()
                        ? "none (no node has that label)" : String.join(", ", known.get(d.key())));
            }
        }
        return null;
    }

    /**
     * What failing these domains now would take down, most severe first: workloads that lose every ready replica, that
     * drop below their PodDisruptionBudget's minimum, that lose some, and single-zone volumes in a failed zone.
     */
    public static List<Loss> of(Stored stored, List<Domain> failed) {
        if (failed.isEmpty()) {
            return List.of();
        }
        Map<String, SelectorIndex<PodDisruptionBudget>> budgets = new HashMap<>();
        stored.of("PodDisruptionBudget").forEach(b -> budgets.computeIfAbsent(b.path("metadata").path("namespace")
                .asText(), n -> new SelectorIndex<>(pdb -> pdb.getSpec() == null ? null : pdb.getSpec().getSelector()))
                .add(Json.KUBE.convertValue(b, PodDisruptionBudget.class)));
        List<Loss> found = new ArrayList<>();
        Placement placement = new Placement(stored);
        Capacity.Result room = placement.capacity.lose(n -> failed.stream().anyMatch(d -> d.contains(n)));
        Set<String> said = new java.util.HashSet<>();
        for (Placement.Workload w : placement.workloads) {
            long lost = w.ready().stream().filter(n -> failed.stream().anyMatch(d -> d.contains(n))).count();
            int left = w.ready().size() - (int) lost;
            Integer minimum = minimumHealthy(w, budgets.get(w.namespace()));
            int pending = room.pending(w.namespace(), w.kind(), w.name());
            said.add(w.namespace() + "/" + w.kind() + "/" + w.name());
            String after = !room.judged() || lost == 0 && pending == 0 ? ""
                    : pending == 0 ? "; the surviving nodes have room to start them again"
                    : "; " + pending + " of its pods would stay Pending: " + pendingWhy(room, w.namespace(), w.kind(),
                    w.name());
            if (w.ready().size() > 0 && left == 0) {
                found.add(loss(w, Impact.OUTAGE, "loses all " + w.ready().size() + " ready replicas: an outage"
                        + (pending > 0 ? ", until room is made" : "") + after));
            } else if (lost > 0 && minimum != null && left < minimum) {
                found.add(loss(w, Impact.BELOW_BUDGET, "loses " + lost + " of " + w.ready().size() + " ready replicas; "
                        + left + " left, below its PodDisruptionBudget's minimum of " + minimum + ": no voluntary "
                        + "eviction until it recovers" + after));
            } else if (lost > 0 || pending > 0) {
                found.add(loss(w, pending > 0 ? Impact.CAPACITY : Impact.DEGRADED, "loses " + lost + " of "
                        + w.ready().size() + " ready replicas; " + left + " left" + after));
            }
            for (String zone : w.volumeZones()) {
                if (failed.stream().anyMatch(d -> d.key().equals("zone") && d.value().equals(zone))) {
                    found.add(loss(w, Impact.OUTAGE, "loses its volumes, pinned to zone " + zone + ": the data is "
                            + "unavailable until the zone returns or a restore"));
                }
            }
        }
        for (Capacity.Pending p : room.pending().values()) {
            if (!said.contains(p.namespace() + "/" + p.kind() + "/" + p.name())) {
                found.add(new Loss(p.namespace(), p.kind(), p.name(), Impact.CAPACITY, p.pods() + " of its pods would "
                        + "stay Pending: " + pendingWhy(room, p.namespace(), p.kind(), p.name())));
            }
        }
        found.add(new Loss("", "Cluster", "", room.pending().isEmpty() ? Impact.DEGRADED : Impact.CAPACITY,
                !room.judged() ? "room for the evicted pods not judged: no Node gives its status.allocatable cpu "
                        + "and memory" : room.evicted() == 0 ? "it evicts no pod that a controller would start elsewhere"
                        : "capacity: " + room.summary() + (room.lost() == 0 ? "" : "; " + room.lost() + " pod"
                        + (room.lost() == 1 ? "" : "s") + " without a controller would not come back")));
        found.sort(Comparator.comparing(Loss::impact).reversed().thenComparing(Loss::namespace)
                .thenComparing(l -> l.kind() + " " + l.name()));
        return found;
    }

    /** Why a workload's evicted pods would stay Pending, with what they ask. */
    private static String pendingWhy(Capacity.Result room, String namespace, String kind, String name) {
        Capacity.Pending p = room.pending().get(namespace + "/" + kind + "/" + name);
        return "no surviving node it may run on has room for " + (p.pods() == 1 ? "it" : "them") + " (" + Capacity.cores(
                p.cpu() / p.pods()) + " CPU / " + Capacity.size(p.memory() / p.pods()) + " memory each)";
    }

    private static Loss loss(Placement.Workload w, Impact impact, String message) {
        return new Loss(w.namespace(), w.kind(), w.name(), impact, message);
    }

    /** The pods its PodDisruptionBudget keeps at its desired replicas, or null when none selects it. */
    private static Integer minimumHealthy(Placement.Workload w, SelectorIndex<PodDisruptionBudget> budgets) {
        if (budgets == null) {
            return null;
        }
        List<PodDisruptionBudget> selecting = budgets.selecting(Stored.strings(w.podLabels()));
        return selecting.isEmpty() ? null : Budgets.minimumHealthy(selecting.get(0), w.desired());
    }
}

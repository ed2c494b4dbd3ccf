package dev.haguard.rules.placement;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Whether the nodes that survive a failure have room for the pods it evicts: each evicted pod's requests (CPU,
 * memory, one of the node's pods) against the free allocatable of the surviving nodes it may run on (allocatable less
 * the requests of the pods already there), as the scheduler's resource fit counts them. A node a pod may run on is one
 * not cordoned, whose NoSchedule and NoExecute taints it tolerates, that its nodeSelector and required node affinity
 * select. Not a scheduler simulation: pods are placed largest first, each on the eligible node with the most free CPU
 * that holds it, and pod affinity, spread constraints and preferences are not weighed.
 */
final class Capacity {

    /** The pods of a node a failure evicts move only when a controller makes them again, and not a DaemonSet's. */
    private static final java.util.Set<String> STAY = java.util.Set.of("DaemonSet", "Node");

    private record Node(Placement.NodeInfo info, long cpu, long memory, long pods, JsonNode taints, JsonNode labels,
            boolean cordoned) {
    }

    /** What decides where a pod may run: the same for most of a workload's pods, so judged once per distinct one. */
    private record Constraint(JsonNode nodeSelector, JsonNode required, JsonNode tolerations) {
    }

    /** A pod on a known node: its requests, its constraint, its top controller ("ns/Kind/name"), whether it moves. */
    private record Pod(int node, long cpu, long memory, int constraint, String owner, boolean moves) {
    }

    /** Pods of one workload that would not fit, with their summed requests. */
    record Pending(String namespace, String kind, String name, int pods, long cpu, long memory) {
    }

    /**
     * What losing some nodes does to capacity. {@code judged} false when no node gives its allocatable CPU and memory
     * (a dump without the Nodes' status): then nothing else is known.
     *
     * @param evicted pods on the lost nodes that a controller makes again elsewhere
     * @param lost pods on the lost nodes that nothing makes again (no controller)
     */
    record Result(boolean judged, int evicted, int lost, long cpu, long memory, long freeCpu, long freeMemory,
            long freePods, Map<String, Pending> pending) {

        int pendingPods() {
            return pending.values().stream().mapToInt(Pending::pods).sum();
        }

        /** Pending pods of one workload, 0 when all of its evicted pods fit. */
        int pending(String namespace, String kind, String name) {
            Pending p = pending.get(namespace + "/" + kind + "/" + name);
            return p == null ? 0 : p.pods();
        }

        /** "12 pods would not fit on the surviving nodes: 3.5 CPU / 12Gi memory short (...)", or that all fit. */
        String summary() {
            String asked = "they request " + cores(cpu) + " CPU / " + size(memory) + " memory; the surviving nodes "
                    + "have " + cores(freeCpu) + " / " + size(freeMemory) + " free";
            if (pending.isEmpty()) {
                return "the surviving nodes have room for all " + evicted + " pod" + (evicted == 1 ? "" : "s")
                        + " it evicts (" + asked + ")";
            }
            return pendingPods() + " of the " + evicted + " pods it evicts would stay Pending: " + shortfall() + " ("
                    + asked + ")";
        }

        /** What is short: CPU and memory, else room for pods (each node's allocatable pods), else where they may go. */
        String shortfall() {
            long cpuShort = Math.max(0, cpu - freeCpu);
            long memoryShort = Math.max(0, memory - freeMemory);
            if (cpuShort > 0 || memoryShort > 0) {
                return shortOf(cpuShort, memoryShort) + " short";
            }
            if (evicted > freePods) {
                return "the surviving nodes take " + freePods + " more pods (their allocatable pods), " + (evicted
                        - freePods) + " short";
            }
            return "no surviving node they may run on (taints, nodeSelector, required node affinity) has room for them";
        }

        /** The fix for {@link #shortfall}: what to add, or where. */
        String fix(String where) {
            long cpuShort = Math.max(0, cpu - freeCpu);
            long memoryShort = Math.max(0, memory - freeMemory);
            if (cpuShort > 0 || memoryShort > 0) {
                return "add at least " + shortOf(cpuShort, memoryShort) + " of nodes " + where;
            }
            if (evicted > freePods) {
                return "add nodes " + where + " with room for at least " + (evicted - freePods) + " more pods (or raise "
                        + "the kubelet's maxPods where the nodes have room)";
            }
            return "give the pods that stay Pending room on nodes they may run on " + where;
        }
    }

    /** "2 CPU / 3Gi memory", "2 CPU", "3Gi memory": what is missing, naming only what is. */
    private static String shortOf(long milliCpu, long bytes) {
        return milliCpu > 0 && bytes > 0 ? cores(milliCpu) + " CPU / " + size(bytes) + " memory"
                : milliCpu > 0 ? cores(milliCpu) + " CPU" : size(bytes) + " memory";
    }

    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, Integer> nodeIndex = new HashMap<>();
    private final List<Constraint> constraints = new ArrayList<>();
    private final Map<Constraint, Integer> constraintIndex = new HashMap<>();
    private final List<Pod> pods = new ArrayList<>();
    private long[] usedCpu;
    private long[] usedMemory;
    private int[] usedPods;
    private boolean known;

    Capacity(Iterable<JsonNode> storedNodes, Map<String, Placement.NodeInfo> infos) {
        for (JsonNode n : storedNodes) {
            JsonNode allocatable = n.path("status").path("allocatable");
            long cpu = milli(allocatable.path("cpu").asText(""));
            long memory = units(allocatable.path("memory").asText(""));
            known |= cpu > 0 && memory > 0; // a node that reports none yet has no room
            long pods = units(allocatable.path("pods").asText(""));
            String name = n.path("metadata").path("name").asText();
            nodeIndex.put(name, nodes.size());
            nodes.add(new Node(infos.get(name), cpu, memory, pods > 0 ? pods : Long.MAX_VALUE, n.path("spec")
                    .path("taints"), n.path("metadata").path("labels"), n.path("spec").path("unschedulable")
                    .asBoolean()));
        }
        usedCpu = new long[nodes.size()];
        usedMemory = new long[nodes.size()];
        usedPods = new int[nodes.size()];
    }

    /**
     * Counts a pod: its requests where it runs, and, if a failure evicts it, what it needs to run elsewhere.
     *
     * @param ownerKind kind of its top controller (a Deployment for a ReplicaSet's pod); null for none
     */
    void add(JsonNode pod, String ownerKind, String ownerName) {
        String phase = pod.path("status").path("phase").asText("");
        Integer node = nodeIndex.get(pod.path("spec").path("nodeName").asText(""));
        if (node == null || phase.equals("Succeeded") || phase.equals("Failed")) {
            return;
        }
        JsonNode spec = pod.path("spec");
        long cpu = request(spec, "cpu", true);
        long memory = request(spec, "memory", false);
        usedCpu[node] += cpu;
        usedMemory[node] += memory;
        usedPods[node]++;
        Constraint c = new Constraint(spec.path("nodeSelector"), spec.path("affinity").path("nodeAffinity")
                .path("requiredDuringSchedulingIgnoredDuringExecution"), spec.path("tolerations"));
        int constraint = constraintIndex.computeIfAbsent(c, k -> {
            constraints.add(k);
            return constraints.size() - 1;
        });
        String owner = ownerKind == null ? null : pod.path("metadata").path("namespace").asText() + "/" + ownerKind
                + "/" + ownerName;
        pods.add(new Pod(node, cpu, memory, constraint, owner, ownerKind != null && !STAY.contains(ownerKind)));
    }

    /** What losing the nodes {@code failed} selects does to capacity. */
    Result lose(Predicate<Placement.NodeInfo> failed) {
        int count = nodes.size();
        boolean[] survives = new boolean[count];
        long[] freeCpu = new long[count];
        long[] freeMemory = new long[count];
        long[] freePods = new long[count];
        long totalCpu = 0;
        long totalMemory = 0;
        long totalPods = 0;
        for (int i = 0; i < count; i++) {
            Node n = nodes.get(i);
            survives[i] = n.info() != null && !failed.test(n.info()) && !n.cordoned();
            freeCpu[i] = Math.max(0, n.cpu() - usedCpu[i]);
            freeMemory[i] = Math.max(0, n.memory() - usedMemory[i]);
            freePods[i] = Math.max(0, n.pods() - usedPods[i]);
            if (survives[i] && untainted(n)) {
                totalCpu += freeCpu[i];
                totalMemory += freeMemory[i];
                totalPods = Math.min(Long.MAX_VALUE / 2, totalPods + freePods[i]);
            }
        }
        List<Pod> evicted = new ArrayList<>();
        int lost = 0;
        for (Pod p : pods) {
            Node on = nodes.get(p.node());
            if (on.info() != null && failed.test(on.info())) {
                if (p.moves()) {
                    evicted.add(p);
                } else if (p.owner() == null) {
                    lost++;
                }
            }
        }
        long cpu = evicted.stream().mapToLong(Pod::cpu).sum();
        long memory = evicted.stream().mapToLong(Pod::memory).sum();
        if (!known) {
            return new Result(false, evicted.size(), lost, cpu, memory, 0, 0, 0, Map.of());
        }
        // Per constraint, its eligible survivors by free CPU, most first; a node's place changes as pods land on it.
        Comparator<Integer> byFree = Comparator.<Integer>comparingLong(i -> -freeCpu[i])
                .thenComparingLong(i -> -freeMemory[i]).thenComparingInt(i -> i);
        Map<Integer, TreeSet<Integer>> eligible = new HashMap<>();
        Map<Integer, List<TreeSet<Integer>>> treesOfNode = new HashMap<>();
        evicted.sort(Comparator.comparingLong(Pod::cpu).thenComparingLong(Pod::memory).reversed());
        Map<String, long[]> pendingByOwner = new TreeMap<>();
        for (Pod p : evicted) {
            TreeSet<Integer> tree = eligible.computeIfAbsent(p.constraint(), c -> {
                TreeSet<Integer> t = new TreeSet<>(byFree);
                for (int i = 0; i < count; i++) {
                    if (survives[i] && freePods[i] > 0 && allows(nodes.get(i), constraints.get(c))) {
                        t.add(i);
                        treesOfNode.computeIfAbsent(i, k -> new ArrayList<>()).add(t);
                    }
                }
                return t;
            });
            Integer chosen = null;
            for (Integer i : tree) {
                if (freeCpu[i] < p.cpu()) {
                    break;
                }
                if (freeMemory[i] >= p.memory() && freePods[i] > 0) {
                    chosen = i;
                    break;
                }
            }
            if (chosen == null) {
                long[] sum = pendingByOwner.computeIfAbsent(p.owner(), k -> new long[3]);
                sum[0]++;
                sum[1] += p.cpu();
                sum[2] += p.memory();
                continue;
            }
            List<TreeSet<Integer>> trees = treesOfNode.get(chosen);
            for (TreeSet<Integer> t : trees) {
                t.remove(chosen);
            }
            freeCpu[chosen] -= p.cpu();
            freeMemory[chosen] -= p.memory();
            freePods[chosen]--;
            if (freePods[chosen] > 0) { // a full node takes no pod: out of every search
                for (TreeSet<Integer> t : trees) {
                    t.add(chosen);
                }
            }
        }
        // By "namespace/Kind/name": the what-if looks up each workload's, of tens of thousands.
        Map<String, Pending> pending = new java.util.LinkedHashMap<>();
        pendingByOwner.forEach((owner, sum) -> {
            String[] parts = owner.split("/", 3);
            pending.put(owner, new Pending(parts[0], parts[1], parts[2], (int) sum[0], sum[1], sum[2]));
        });
        return new Result(true, evicted.size(), lost, cpu, memory, totalCpu, totalMemory, totalPods,
                java.util.Collections.unmodifiableMap(pending));
    }

    private static boolean untainted(Node n) {
        for (JsonNode t : n.taints()) {
            if (blocks(t)) {
                return false;
            }
        }
        return true;
    }

    private static boolean blocks(JsonNode taint) {
        String effect = taint.path("effect").asText();
        return effect.equals("NoSchedule") || effect.equals("NoExecute");
    }

    /** Whether a pod with constraint {@code c} may run on {@code n}: taints tolerated, selectors matched. */
    private static boolean allows(Node n, Constraint c) {
        for (JsonNode taint : n.taints()) {
            if (blocks(taint) && !tolerated(taint, c.tolerations())) {
                return false;
            }
        }
        var selector = c.nodeSelector().fields();
        while (selector.hasNext()) {
            var e = selector.next();
            if (!e.getValue().asText().equals(n.labels().path(e.getKey()).asText(null))) {
                return false;
            }
        }
        JsonNode terms = c.required().path("nodeSelectorTerms");
        if (terms.isEmpty()) {
            return true;
        }
        for (JsonNode term : terms) { // terms are ORed; within a term, expressions are ANDed
            if (term.path("matchExpressions").isEmpty() && term.path("matchFields").isEmpty()) {
                continue; // an empty term selects nothing
            }
            boolean all = true;
            for (JsonNode e : term.path("matchExpressions")) {
                all &= matches(e, n.labels().path(e.path("key").asText()).asText(null));
            }
            for (JsonNode e : term.path("matchFields")) {
                all &= e.path("key").asText().equals("metadata.name") && matches(e, n.info().name());
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    /** A toleration matches a taint as the scheduler's TaintToleration does (k8s.io/api core/v1 toleration.go). */
    private static boolean tolerated(JsonNode taint, JsonNode tolerations) {
        for (JsonNode t : tolerations) {
            String effect = t.path("effect").asText("");
            if (!effect.isEmpty() && !effect.equals(taint.path("effect").asText())) {
                continue;
            }
            String key = t.path("key").asText("");
            String operator = t.path("operator").asText("Equal");
            if (key.isEmpty() ? operator.equals("Exists") : key.equals(taint.path("key").asText())
                    && (operator.equals("Exists") || t.path("value").asText("").equals(taint.path("value")
                    .asText("")))) {
                return true;
            }
        }
        return false;
    }

    /** A node selector requirement (In, NotIn, Exists, DoesNotExist, Gt, Lt) against a label's value, or null. */
    private static boolean matches(JsonNode requirement, String value) {
        List<String> values = new ArrayList<>();
        requirement.path("values").forEach(v -> values.add(v.asText()));
        return switch (requirement.path("operator").asText()) {
            case "In" -> value != null && values.contains(value);
            case "NotIn" -> value == null || !values.contains(value);
            case "Exists" -> value != null;
            case "DoesNotExist" -> value == null;
            case "Gt", "Lt" -> {
                try {
                    long have = Long.parseLong(value);
                    long bound = Long.parseLong(values.get(0));
                    yield requirement.path("operator").asText().equals("Gt") ? have > bound : have < bound;
                } catch (RuntimeException e) {
                    yield false;
                }
            }
            default -> false;
        };
    }

    /**
     * A pod's effective request of a resource, as the scheduler computes it: the larger of its containers' sum (with
     * restartable init containers, sidecars) and its largest init container, plus its overhead.
     */
    private static long request(JsonNode spec, String resource, boolean milli) {
        long containers = 0;
        for (JsonNode c : spec.path("containers")) {
            containers += amount(c.path("resources").path("requests").path(resource).asText(""), milli);
        }
        long init = 0;
        long sidecars = 0;
        for (JsonNode c : spec.path("initContainers")) {
            long asked = amount(c.path("resources").path("requests").path(resource).asText(""), milli);
            if (c.path("restartPolicy").asText().equals("Always")) {
                sidecars += asked;
            } else {
                init = Math.max(init, sidecars + asked);
            }
        }
        return Math.max(containers + sidecars, init) + amount(spec.path("overhead").path(resource).asText(""), milli);
    }

    private static long amount(String quantity, boolean milli) {
        return milli ? milli(quantity) : units(quantity);
    }

    /** A quantity ("500m", "2") in thousandths; 0 when not given or not a quantity. */
    static long milli(String quantity) {
        BigDecimal amount = parse(quantity);
        return amount == null ? 0 : amount.movePointRight(3).longValue();
    }

    /** A quantity ("1Gi", "110") in units, rounded up; 0 when not given or not a quantity. */
    static long units(String quantity) {
        BigDecimal amount = parse(quantity);
        return amount == null ? 0 : amount.setScale(0, java.math.RoundingMode.CEILING).longValue();
    }

    private static BigDecimal parse(String quantity) {
        try {
            return quantity.isEmpty() ? null : io.fabric8.kubernetes.api.model.Quantity.getAmountInBytes(
                    new io.fabric8.kubernetes.api.model.Quantity(quantity));
        } catch (IllegalArgumentException | ArithmeticException e) {
            return null;
        }
    }

    static String cores(long milli) {
        return milli % 1000 == 0 ? String.valueOf(milli / 1000) : String.format(Locale.ROOT, "%.1f", milli / 1000.0);
    }

    static String size(long bytes) {
        double gi = bytes / (double) (1L << 30);
        return gi >= 1 || bytes == 0 ? String.format(Locale.ROOT, gi == Math.floor(gi) ? "%.0fGi" : "%.1fGi", gi)
                : String.format(Locale.ROOT, "%dMi", (bytes + (1 << 20) - 1) >> 20);
    }
}

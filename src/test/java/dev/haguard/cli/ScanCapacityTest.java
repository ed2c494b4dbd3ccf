package dev.haguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haguard.json.Json;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Whether the surviving nodes have room for what a failure evicts: the what-if's capacity lines (--fail) and the
 * standing N+1-by-zone finding, from pods' requests against nodes' free allocatable, with taints, tolerations, node
 * selectors and required node affinity deciding where a pod may go.
 */
class ScanCapacityTest {

    private static String node(String name, String zone, String cpu, String memory, String extra) {
        return """
                - apiVersion: v1
                  kind: Node
                  metadata: {name: %s, labels: {kubernetes.io/hostname: %s, topology.kubernetes.io/zone: %s%s}}
                  spec: %s
                  status: {allocatable: {cpu: "%s", memory: %s, pods: "110"}}
                """.formatted(name, name, zone, extra.startsWith("labels:") ? ", " + extra.substring(7) : "",
                extra.startsWith("spec:") ? extra.substring(5) : "{}", cpu, memory);
    }

    /** A Deployment whose ReplicaSet runs one pod per node listed, each requesting cpu and memory. */
    private static String deployment(String name, String cpu, String memory, String podSpec, String... nodes) {
        StringBuilder out = new StringBuilder(ScanPlacementTest.workload("Deployment", name, nodes.length, "d-" + name)
                + """
                - apiVersion: apps/v1
                  kind: ReplicaSet
                  metadata:
                    name: %s-1
                    namespace: shop
                    uid: rs-%s
                    ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: %s, uid: d-%s, controller: true}]
                  spec: {replicas: %d}
                """.formatted(name, name, name, name, nodes.length));
        for (int i = 0; i < nodes.length; i++) {
            out.append(pod(name + "-1-" + i, nodes[i], "ReplicaSet", name + "-1", "rs-" + name, cpu, memory, podSpec));
        }
        return out.toString();
    }

    private static String pod(String name, String node, String ownerKind, String owner, String ownerUid, String cpu,
            String memory, String podSpec) {
        return """
                - apiVersion: v1
                  kind: Pod
                  metadata:
                    name: %s
                    namespace: shop
                    labels: {app: x}
                    %s
                  spec:
                    nodeName: %s
                    containers: [{name: c, image: "registry.example/x:1.0", resources: {requests: {cpu: "%s", memory: %s}}}]
                    %s
                  status: {phase: Running, conditions: [{type: Ready, status: "True"}]}
                """.formatted(name, ownerKind == null ? "" : "ownerReferences: [{apiVersion: apps/v1, kind: " + ownerKind
                + ", name: " + owner + ", uid: " + ownerUid + ", controller: true}]", node, cpu, memory, podSpec);
    }

    private static final String ZONES = node("n-a", "a", "4", "8Gi", "") + node("n-b", "b", "4", "8Gi", "")
            + node("n-c", "c", "4", "8Gi", "");

    private static JsonNode scan(String items, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--from", "-", "-o", "json"));
        all.addAll(List.of(args));
        ScanRun run = ScanRun.withStdin("apiVersion: v1\nkind: List\nitems:\n" + items, all.toArray(String[]::new));
        return Json.MAPPER.readTree(run.out());
    }

    private static List<String> whatIf(JsonNode report) {
        List<String> out = new ArrayList<>();
        report.path("whatIf").path("findings").forEach(f -> out.add(f.path("severity").asText() + " "
                + f.path("object").asText() + ": " + f.path("message").asText()));
        return out;
    }

    @Test
    void the_surviving_zones_with_room_take_every_evicted_pod() throws Exception {
        String items = ZONES + deployment("web", "1", "1Gi", "", "n-a", "n-b", "n-c")
                + deployment("big", "2", "2Gi", "", "n-a");

        assertThat(whatIf(scan(items, "--fail", "zone=a"))).contains("low Cluster: capacity: the surviving nodes have "
                + "room for all 2 pods it evicts (they request 3 CPU / 3Gi memory; the surviving nodes have 6 / 14Gi free)")
                .anySatisfy(l -> assertThat(l).startsWith("low Deployment web: loses 1 of 3 ready replicas; 2 left; the "
                        + "surviving nodes have room to start them again"));
    }

    @Test
    void evicted_pods_beyond_the_survivors_free_room_stay_pending_per_workload_and_for_the_cluster() throws Exception {
        // Zone a runs two 3-CPU pods and a 1-CPU one; b and c have 3 CPU free each: the largest go first, web waits.
        String items = ZONES + deployment("web", "1", "1Gi", "", "n-a", "n-b", "n-c")
                + deployment("big", "3", "1Gi", "", "n-a");
        String heavy = items.replace("n-a\n                  status: {phase", "n-a\n                  status: {phase");
        List<String> lines = whatIf(scan(heavy + pod("big-1-x", "n-a", "ReplicaSet", "big-1", "rs-big", "3", "1Gi", ""),
                "--fail", "zone=a"));

        assertThat(lines).contains("medium Cluster: capacity: 1 of the 3 pods it evicts would stay Pending: 1 CPU short "
                + "(they request 7 CPU / 3Gi memory; the surviving nodes have 6 / 14Gi free)");
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("medium Deployment web: loses 1 of 3 ready replicas; "
                + "2 left; 1 of its pods would stay Pending: no surviving node it may run on has room for it (1 CPU / "
                + "1Gi memory each)"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("high Deployment big: loses all 2 ready replicas: an "
                + "outage; the surviving nodes have room to start them again"));
    }

    @Test
    void taints_node_selectors_and_required_affinity_decide_where_a_pod_may_go() throws Exception {
        String tainted = node("n-a", "a", "4", "8Gi", "") + node("n-b", "b", "8", "16Gi",
                "spec:{taints: [{key: dedicated, value: gpu, effect: NoSchedule}]}") + node("n-c", "c", "8", "16Gi",
                "labels:disk: hdd");
        String tolerates = "tolerations: [{key: dedicated, operator: Equal, value: gpu, effect: NoSchedule}]";

        assertThat(whatIf(scan(tainted + deployment("api", "1", "1Gi", "", "n-a"), "--fail", "zone=a")))
                .as("n-c has room").anySatisfy(l -> assertThat(l).contains("room for all 1 pod"));
        assertThat(whatIf(scan(tainted + deployment("api", "1", "1Gi", "nodeSelector: {disk: ssd}", "n-a"),
                "--fail", "zone=a"))).anySatisfy(l -> assertThat(l).startsWith("medium Cluster: capacity: 1 of the 1 "
                + "pods it evicts would stay Pending: no surviving node they may run on (taints, nodeSelector, required "
                + "node affinity) has room for them"));
        assertThat(whatIf(scan(tainted + deployment("api", "1", "1Gi", "nodeSelector: {disk: ssd}\n    " + tolerates
                .replace("tolerations", "affinity: {}\n    tolerations"), "n-a"), "--fail", "zone=a")))
                .as("n-b tolerated, but no node has disk=ssd").anySatisfy(l -> assertThat(l).contains("would stay Pending"));
        assertThat(whatIf(scan(tainted + deployment("api", "1", "1Gi", tolerates + "\n    affinity: {nodeAffinity: "
                + "{requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: "
                + "topology.kubernetes.io/zone, operator: In, values: [b]}]}]}}}", "n-a"), "--fail", "zone=a")))
                .as("tolerates b's taint and requires zone b").anySatisfy(l -> assertThat(l).contains("room for all 1 pod"));
        assertThat(whatIf(scan(tainted + deployment("api", "1", "1Gi", "affinity: {nodeAffinity: "
                + "{requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: "
                + "topology.kubernetes.io/zone, operator: In, values: [b]}]}]}}}", "n-a"), "--fail", "zone=a")))
                .as("requires zone b without tolerating its taint").anySatisfy(l -> assertThat(l)
                        .contains("would stay Pending"));
    }

    @Test
    void the_nodes_allocatable_pods_bound_what_they_take_even_with_cpu_and_memory_to_spare() throws Exception {
        String full = ZONES.replace("pods: \"110\"", "pods: \"2\"") + deployment("web", "100m", "128Mi", "", "n-a",
                "n-b", "n-c") + deployment("api", "100m", "128Mi", "", "n-a", "n-b", "n-c");

        assertThat(whatIf(scan(full, "--fail", "zone=a"))).anySatisfy(l -> assertThat(l).startsWith("medium Cluster: "
                + "capacity: 2 of the 2 pods it evicts would stay Pending: the surviving nodes take 0 more pods (their "
                + "allocatable pods), 2 short"));
        assertThat(scan(full).path("cluster").toString()).contains("Fix: add nodes in the other zones with room for at "
                + "least 2 more pods");
    }

    @Test
    void a_daemonsets_pods_stay_with_their_node_and_a_bare_pod_does_not_come_back() throws Exception {
        String items = ZONES + pod("agent-a", "n-a", "DaemonSet", "agent", "ds-1", "3", "6Gi", "")
                + pod("debug", "n-a", null, null, null, "3", "6Gi", "") + deployment("web", "1", "1Gi", "", "n-a");

        assertThat(whatIf(scan(items, "--fail", "node=n-a"))).contains("low Cluster: capacity: the surviving nodes have "
                + "room for all 1 pod it evicts (they request 1 CPU / 1Gi memory; the surviving nodes have 8 / 16Gi "
                + "free); 1 pod without a controller would not come back");
    }

    @Test
    void a_cluster_that_cannot_absorb_losing_its_busiest_zone_is_a_standing_finding() throws Exception {
        String busy = ZONES + deployment("batch", "3", "7500Mi", "", "n-a") + deployment("web", "1", "1Gi", "", "n-a",
                "n-b", "n-c") + deployment("cache", "2", "6Gi", "", "n-b");

        JsonNode cluster = scan(busy).path("cluster").path("findings");
        assertThat(cluster.toString()).contains("zone-capacity", "the cluster cannot absorb losing zone a: 1 of the 2 "
                + "pods it evicts would stay Pending: 332Mi memory short", "Fix: add at least 332Mi memory of nodes in the other zones");
        JsonNode balanced = scan(ZONES + deployment("web", "1", "1Gi", "", "n-a", "n-b", "n-c")).path("cluster");
        assertThat(balanced.toString()).doesNotContain("zone-capacity");
    }

    @Test
    void what_the_scan_keeps_of_a_managed_pod_gives_the_same_capacity_as_the_whole_pod() throws Exception {
        String items = ZONES + deployment("web", "1", "1Gi", "tolerations: [{key: k, operator: Exists, "
                + "tolerationSeconds: 30, effect: NoExecute}]", "n-a", "n-b", "n-c") + deployment("big", "3", "6Gi",
                "nodeSelector: {kubernetes.io/os: linux}", "n-a");
        String dump = "apiVersion: v1\nkind: List\nitems:\n" + items;
        var whole = ScanRun.judged(dump, false, "zone=a");
        var kept = ScanRun.judged(dump, true, "zone=a");

        assertThat(kept).isEqualTo(whole);
        assertThat(whole.whatIf().toString()).contains("would stay Pending");
        // scan --from holds managed pods and ReplicaSets apart, compact (Held), never as Documents: the same report.
        ScanRun cli = ScanRun.withStdin(dump, "--from", "-", "--fail", "zone=a", "-o", "json", "--now",
                "2026-12-04T00:00:00Z");
        assertThat(Json.MAPPER.readTree(cli.out())).isEqualTo(dev.haguard.scan.ScanText.json(whole));
    }
}

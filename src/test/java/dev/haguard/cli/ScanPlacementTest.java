package dev.haguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haguard.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Placement from live state and the what-if, on a dump whose answer is known. */
class ScanPlacementTest {

    static String node(String name, String zone) {
        return """
                - apiVersion: v1
                  kind: Node
                  metadata: {name: %s, labels: {kubernetes.io/hostname: %s, topology.kubernetes.io/zone: %s, topology.kubernetes.io/region: r1}}
                """.formatted(name, name, zone);
    }

    static String workload(String kind, String name, int replicas, String uid) {
        return """
                - apiVersion: apps/v1
                  kind: %s
                  metadata: {name: %s, namespace: shop, uid: %s}
                  spec:
                    replicas: %d
                    selector: {matchLabels: {app: %s}}
                    template:
                      metadata: {labels: {app: %s}}
                      spec: {containers: [{name: c, image: "registry.example/%s:1.0", readinessProbe: {tcpSocket: {port: 80}}}]}
                """.formatted(kind, name, uid, replicas, name, name, name);
    }

    static String replicaSet(String name, String uid, String ownerUid) {
        return """
                - apiVersion: apps/v1
                  kind: ReplicaSet
                  metadata:
                    name: %s
                    namespace: shop
                    uid: %s
                    ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: x, uid: %s, controller: true}]
                  spec: {replicas: 0}
                """.formatted(name, uid, ownerUid);
    }

    static String pod(String name, String node, String ownerUid, String claim) {
        return """
                - apiVersion: v1
                  kind: Pod
                  metadata:
                    name: %s
                    namespace: shop
                    ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: x, uid: %s, controller: true}]
                  spec:
                    nodeName: %s
                    containers: [{name: c, image: "registry.example/x:1.0"}]
                    volumes: %s
                  status: {conditions: [{type: Ready, status: "True"}]}
                """.formatted(name, ownerUid, node, claim == null ? "[]" : "[{name: data, persistentVolumeClaim: {claimName: " + claim + "}}]");
    }

    static final String CLUSTER = "apiVersion: v1\nkind: List\nitems:\n"
            + node("node-a", "a") + node("node-b", "b") + node("node-c", "c")
            // web: 3 replicas, every ready one on node-a
            + workload("Deployment", "web", 3, "d-web") + replicaSet("web-1", "rs-web", "d-web")
            + pod("web-1", "node-a", "rs-web", null) + pod("web-2", "node-a", "rs-web", null) + pod("web-3", "node-a", "rs-web", null)
            // api: 2 replicas in zones b and c, a budget that allows no disruption now
            + workload("Deployment", "api", 2, "d-api") + replicaSet("api-1", "rs-api", "d-api")
            + pod("api-1", "node-b", "rs-api", null) + pod("api-2", "node-c", "rs-api", null)
            + """
            - apiVersion: policy/v1
              kind: PodDisruptionBudget
              metadata: {name: api, namespace: shop}
              spec: {minAvailable: 2, selector: {matchLabels: {app: api}}}
              status: {disruptionsAllowed: 0, expectedPods: 2, currentHealthy: 2, desiredHealthy: 2}
            """
            // db: one replica whose volume is pinned to zone a
            + workload("StatefulSet", "db", 1, "s-db") + pod("db-0", "node-a", "s-db", "data-db-0")
            + """
            - apiVersion: v1
              kind: PersistentVolumeClaim
              metadata: {name: data-db-0, namespace: shop}
              spec: {volumeName: pv-1}
            - apiVersion: v1
              kind: PersistentVolume
              metadata: {name: pv-1}
              spec:
                nodeAffinity:
                  required:
                    nodeSelectorTerms: [{matchExpressions: [{key: topology.kubernetes.io/zone, operator: In, values: [a]}]}]
            """;

    private static ScanRun scan(String stdin, String... args) {
        return ScanRun.withStdin(stdin, args);
    }

    @Test
    void where_replicas_and_volumes_actually_sit_is_judged() {
        ScanRun run = scan(CLUSTER, "--from", "-");

        assertThat(run.out()).contains("HIGH   placement", "Deployment web", "all 3 ready replicas run on node node-a")
                .contains("PodDisruptionBudget api", "allows no voluntary eviction of Deployment api at 2 replicas")
                .contains("StatefulSet db", "its volumes are pinned to zone a")
                .doesNotContain("every schedulable node is in")
                .doesNotContain("Deployment api                     all");
    }

    @Test
    void the_what_if_lists_what_a_zone_failure_takes_down_most_severe_first() throws Exception {
        ScanRun run = scan(CLUSTER, "--from", "-", "--fail", "zone=a", "-o", "json");

        JsonNode whatIf = Json.MAPPER.readTree(run.out()).path("whatIf");
        assertThat(whatIf.path("failed").get(0).asText()).isEqualTo("zone=a");
        assertThat(whatIf.path("findings").findValuesAsText("object")).containsExactly("Deployment web",
                "StatefulSet db", "StatefulSet db", "Cluster");
        assertThat(whatIf.path("findings").findValuesAsText("message")).anySatisfy(m -> assertThat(m)
                .contains("loses all 3 ready replicas")).anySatisfy(m -> assertThat(m).contains("loses its volumes"));
        assertThat(run.exit()).isEqualTo(CheckCommand.DENIED);
    }

    /**
     * A dump past the size from which it is read an item at a time, each managed pod and ReplicaSet kept only as far
     * as the scan reads it: the same report, what-if included, as the same objects read whole.
     */
    @Test
    void a_dump_read_an_item_at_a_time_and_kept_as_far_as_read_gives_the_same_report() throws Exception {
        String padding = ("# " + "x".repeat(1022) + "\n").repeat(dev.haguard.json.Yaml.STREAMED / 1024 + 1);
        ScanRun small = scan(CLUSTER, "--from", "-", "--fail", "zone=a", "-o", "json", "--now", "2026-12-04T00:00:00Z");
        ScanRun large = scan(CLUSTER + padding, "--from", "-", "--fail", "zone=a", "-o", "json", "--now",
                "2026-12-04T00:00:00Z");

        assertThat(large.exit()).isEqualTo(small.exit());
        assertThat(Json.MAPPER.readTree(large.out())).isEqualTo(Json.MAPPER.readTree(small.out()));
        assertThat(Json.MAPPER.readTree(small.out()).path("whatIf").path("findings")).hasSize(4);

        // And the report is the one every object read whole and kept gives: what is dropped is what no rule reads.
        var whole = ScanRun.judged(CLUSTER, false, "zone=a");
        var kept = ScanRun.judged(CLUSTER, true, "zone=a");
        assertThat(kept).isEqualTo(whole);
    }

    @Test
    void losing_a_node_below_the_budget_minimum_is_named() {
        ScanRun run = scan(CLUSTER, "--from", "-", "--fail", "node=node-b");

        assertThat(run.out()).contains("what if node=node-b failed now", "shop/Deployment/api",
                "loses 1 of 2 ready replicas; 1 left, below its PodDisruptionBudget's minimum of 2");
    }

    @Test
    void a_single_zone_cluster_is_one_finding_not_one_per_workload() {
        ScanRun run = scan(CLUSTER.replace("topology.kubernetes.io/zone: b", "topology.kubernetes.io/zone: a")
                .replace("topology.kubernetes.io/zone: c", "topology.kubernetes.io/zone: a"), "--from", "-");

        assertThat(run.out()).containsOnlyOnce("every schedulable node is in zone a").doesNotContain("run in zone a while");
    }

    /** A Node with a role label and the CPU it offers. */
    static String node(String name, String zone, boolean controlPlane, String cpu) {
        return """
                - apiVersion: v1
                  kind: Node
                  metadata: {name: %s, labels: {kubernetes.io/hostname: %s, topology.kubernetes.io/zone: %s%s}}
                  status: {allocatable: {cpu: "%s", memory: 16Gi, pods: "110"}}
                """.formatted(name, name, zone, controlPlane ? ", node-role.kubernetes.io/control-plane: \"\"" : "", cpu);
    }

    private static java.util.List<JsonNode> cluster(String nodes) throws Exception {
        ScanRun run = scan("apiVersion: v1\nkind: List\nitems:\n" + nodes, "--from", "-", "-o", "json");
        java.util.List<JsonNode> found = new java.util.ArrayList<>();
        Json.MAPPER.readTree(run.out()).path("namespaces").forEach(ns -> ns.path("findings").forEach(found::add));
        Json.MAPPER.readTree(run.out()).path("cluster").path("findings").forEach(found::add);
        return found;
    }

    @Test
    void a_control_plane_of_one_or_two_nodes_or_in_one_zone_is_found_and_a_managed_one_is_left_alone() throws Exception {
        String workers = node("w-a", "a", false, "4") + node("w-b", "b", false, "4") + node("w-c", "c", false, "4");

        assertThat(cluster(workers + node("cp-1", "a", true, "2")).toString()).contains("control-plane-nodes",
                "1 control-plane node (cp-1): losing it stops the API server", "Fix: run 3 control-plane nodes");
        assertThat(cluster(workers + node("cp-1", "a", true, "2") + node("cp-2", "b", true, "2")).toString())
                .contains("2 control-plane nodes (cp-1, cp-2): etcd's quorum needs both");
        assertThat(cluster(workers + node("cp-1", "a", true, "2") + node("cp-2", "a", true, "2")
                + node("cp-3", "a", true, "2")).toString()).contains("control-plane-one-zone",
                "all 3 control-plane nodes (cp-1, cp-2, cp-3) are in zone a while the cluster has nodes in 3 zones");
        assertThat(cluster(workers + node("cp-1", "a", true, "2") + node("cp-2", "b", true, "2")
                + node("cp-3", "c", true, "2")).toString()).as("3 in 3 zones").doesNotContain("control-plane");
        assertThat(cluster(workers).toString()).as("managed: no Node shows the control plane")
                .doesNotContain("control-plane");
    }

    @Test
    void a_malformed_failure_domain_is_a_usage_error() {
        assertThat(scan(CLUSTER, "--from", "-", "--fail", "rack=3").exit()).isEqualTo(CheckCommand.UNUSABLE);
    }

    @Test
    void a_domain_no_node_has_is_a_usage_error_naming_the_known_ones() {
        ScanRun zone = scan(CLUSTER, "--from", "-", "--fail", "zone=zone-x");
        ScanRun node = scan(CLUSTER, "--from", "-", "--fail", "node=node-z");
        ScanRun noNodes = scan("apiVersion: v1\nkind: List\nitems:\n" + workload("Deployment", "web", 3, "d-web"), "--from",
                "-", "--fail", "zone=a");

        assertThat(zone.exit()).isEqualTo(CheckCommand.UNUSABLE);
        assertThat(zone.err()).contains("--fail zone=zone-x: no node has topology.kubernetes.io/zone=zone-x; known zones: "
                + "a, b, c");
        assertThat(node.exit()).isEqualTo(CheckCommand.UNUSABLE);
        assertThat(node.err()).contains("no node is named node-z; known nodes: node-a, node-b, node-c");
        assertThat(noNodes.exit()).isEqualTo(CheckCommand.UNUSABLE);
        assertThat(noNodes.err()).contains("--fail needs Nodes");
    }

    @Test
    void the_what_if_alone_can_decide_the_exit_code() {
        // The dump has high findings of its own (web on one node): --fail-on-what-if asks only about the failure.
        ScanRun survives = scan(CLUSTER, "--from", "-", "--fail", "node=node-c", "--fail-on-what-if", "high");
        ScanRun outage = scan(CLUSTER, "--from", "-", "--fail", "node=node-a", "--fail-on-what-if", "high");
        ScanRun both = scan(CLUSTER, "--from", "-", "--fail", "node=node-c", "--fail-on-what-if", "high", "--fail-on",
                "high");

        assertThat(survives.out()).contains("HIGH   placement").contains("loses 1 of 2 ready replicas");
        assertThat(survives.exit()).as("a low what-if finding under a high bar").isEqualTo(CheckCommand.ADMITTED);
        assertThat(outage.exit()).as("web loses every replica").isEqualTo(CheckCommand.DENIED);
        assertThat(both.exit()).as("--fail-on still counts the other findings").isEqualTo(CheckCommand.DENIED);
        assertThat(scan(CLUSTER, "--from", "-", "--fail-on-what-if", "high").exit()).as("nothing to fail")
                .isEqualTo(CheckCommand.UNUSABLE);
    }

    @Test
    void one_zone_of_many_too_few_ready_and_two_autoscalers_are_each_found() {
        String more = CLUSTER + node("node-b2", "b")
                + workload("Deployment", "zonal", 2, "d-zonal") + replicaSet("zonal-1", "rs-zonal", "d-zonal")
                + pod("zonal-1", "node-b", "rs-zonal", null) + pod("zonal-2", "node-b2", "rs-zonal", null)
                + workload("Deployment", "short", 3, "d-short") + replicaSet("short-1", "rs-short", "d-short")
                + pod("short-1", "node-c", "rs-short", null)
                + """
                - apiVersion: autoscaling/v2
                  kind: HorizontalPodAutoscaler
                  metadata: {name: web-cpu, namespace: shop}
                  spec: {minReplicas: 3, maxReplicas: 6, scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}}
                - apiVersion: autoscaling/v2
                  kind: HorizontalPodAutoscaler
                  metadata: {name: web-rps, namespace: shop}
                  spec: {minReplicas: 3, maxReplicas: 6, scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}}
                """;

        ScanRun run = scan(more, "--from", "-");

        assertThat(run.out()).contains("all 2 ready replicas run in zone b while the cluster has 3 zones")
                .contains("1 of 3 replicas ready")
                .contains("HorizontalPodAutoscaler web-rps    HorizontalPodAutoscaler web-cpu already scales Deployment "
                        + "web: two autoscalers fight over its replicas");
    }
}

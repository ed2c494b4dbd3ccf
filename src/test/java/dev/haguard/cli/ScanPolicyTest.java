package dev.haguard.cli;

import static dev.haguard.cli.ScanPlacementTest.CLUSTER;
import static dev.haguard.cli.ScanPlacementTest.node;
import static dev.haguard.cli.ScanPlacementTest.pod;
import static dev.haguard.cli.ScanPlacementTest.replicaSet;
import static dev.haguard.cli.ScanPlacementTest.workload;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haguard.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every scan finding goes through the policy, as every admission does: the rule's mode where the subject is, the
 * scope that applies there, the exemptions. And one problem is said once, on the object whose change fixes it.
 */
class ScanPolicyTest {

    @TempDir
    Path dir;

    /** A budget in kube-system (exempt) that blocks every drain right now, as its status says. */
    private static final String SYSTEM_BUDGET = """
            - apiVersion: policy/v1
              kind: PodDisruptionBudget
              metadata: {name: coredns, namespace: kube-system}
              spec: {minAvailable: 2, selector: {matchLabels: {k8s-app: kube-dns}}}
              status: {disruptionsAllowed: 0, expectedPods: 2, currentHealthy: 2, desiredHealthy: 2}
            """;

    private ScanRun scan(String dump, String policy, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--from", "-", "-o", "json"));
        if (policy != null) {
            all.addAll(List.of("--policy", Files.writeString(dir.resolve("policy.yaml"), "version: 1\n" + policy)
                    .toString()));
        }
        all.addAll(List.of(args));
        return ScanRun.withStdin(dump, all.toArray(String[]::new));
    }

    private static List<JsonNode> findings(ScanRun run, String rule) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        JsonNode report = Json.MAPPER.readTree(run.out());
        report.path("namespaces").forEach(ns -> ns.path("findings").forEach(f -> {
            if (f.path("rule").asText().equals(rule)) {
                out.add(f);
            }
        }));
        report.path("cluster").path("findings").forEach(f -> {
            if (f.path("rule").asText().equals(rule)) {
                out.add(f);
            }
        });
        return out;
    }

    @Test
    void a_rule_turned_off_reports_nothing_in_the_scan_and_an_exempt_namespace_is_never_judged() throws Exception {
        String dump = CLUSTER + SYSTEM_BUDGET;

        ScanRun defaults = scan(dump, null);
        ScanRun off = scan(dump, "defaults: {disruptionBudgets: {mode: off}, placement: {mode: off}}");

        assertThat(findings(defaults, "disruptionBudgets")).isNotEmpty().noneSatisfy(f -> assertThat(f.path("object")
                .asText()).isEqualTo("PodDisruptionBudget coredns"));
        assertThat(Json.MAPPER.readTree(defaults.out()).path("namespaces").findValues("findings").toString())
                .doesNotContain("coredns");
        assertThat(findings(off, "disruptionBudgets")).isEmpty();
        assertThat(findings(off, "placement")).isEmpty();
        assertThat(off.exit()).as("what is left: minReplicas on db").isEqualTo(CheckCommand.DENIED);
    }

    @Test
    void placement_findings_take_the_mode_and_scope_of_where_the_workload_runs() throws Exception {
        String labelled = CLUSTER + """
                - apiVersion: v1
                  kind: Namespace
                  metadata: {name: shop, labels: {tier: sandbox}}
                """;

        ScanRun enforced = scan(labelled, null);
        ScanRun sandbox = scan(labelled, "overrides:\n  - name: sandbox\n    match: {namespaceLabels: {tier: sandbox}}\n"
                + "    rules: {placement: {mode: audit}}\n");

        assertThat(findings(enforced, "placement")).anySatisfy(f -> {
            assertThat(f.path("object").asText()).isEqualTo("Deployment web");
            assertThat(f.path("severity").asText()).isEqualTo("high");
            assertThat(f.path("check").asText()).isEqualTo("one-node");
        });
        assertThat(findings(sandbox, "placement")).isNotEmpty().allSatisfy(f -> assertThat(f.path("severity").asText())
                .isEqualTo("low"));
    }

    @Test
    void the_exempt_label_is_honoured_where_the_policy_says() throws Exception {
        String dump = CLUSTER.replace("metadata: {name: web, namespace: shop, uid: d-web}",
                "metadata: {name: web, namespace: shop, uid: d-web, labels: {haguard.dev/exempt: \"true\"}}");

        ScanRun honoured = scan(dump, "exemptions: {objectLabel: {namespaces: [shop]}}");
        ScanRun ignored = scan(dump, null);

        assertThat(findings(honoured, "placement")).noneSatisfy(f -> assertThat(f.path("object").asText())
                .isEqualTo("Deployment web"));
        assertThat(findings(ignored, "placement")).anySatisfy(f -> assertThat(f.path("object").asText())
                .isEqualTo("Deployment web"));
    }

    @Test
    void a_budget_that_blocks_drains_is_reported_once_on_the_budget_naming_the_workload() throws Exception {
        ScanRun run = scan(CLUSTER, null);

        assertThat(findings(run, "disruptionBudgets")).filteredOn(f -> f.path("message").asText().contains(
                "PodDisruptionBudget api") || f.path("object").asText().equals("PodDisruptionBudget api"))
                .singleElement().satisfies(f -> {
                    assertThat(f.path("object").asText()).isEqualTo("PodDisruptionBudget api");
                    assertThat(f.path("message").asText()).contains("allows no voluntary eviction of Deployment api");
                    assertThat(f.path("check").asText()).as("what the drain-blocking alert counts")
                            .isEqualTo("drain-blocking");
                });
    }

    @Test
    void a_budget_over_pods_no_input_workload_owns_is_still_reported_from_its_status() throws Exception {
        String operatorPods = "apiVersion: v1\nkind: List\nitems:\n" + node("node-a", "a") + node("node-b", "b") + """
                - apiVersion: policy/v1
                  kind: PodDisruptionBudget
                  metadata: {name: alertmanager-main, namespace: monitoring}
                  spec: {maxUnavailable: 0, selector: {matchLabels: {alertmanager: main}}}
                  status: {disruptionsAllowed: 0, expectedPods: 3, currentHealthy: 3, desiredHealthy: 3}
                """;

        ScanRun run = scan(operatorPods, null);

        assertThat(findings(run, "disruptionBudgets")).anySatisfy(f -> {
            assertThat(f.path("message").asText()).contains("allows no disruption right now although all 3 pods");
            assertThat(f.path("check").asText()).isEqualTo("drain-blocking");
        });
    }

    @Test
    void the_what_if_answers_for_exempt_namespaces_too() throws Exception {
        String dns = workload("Deployment", "coredns", 2, "d-dns").replace("namespace: shop", "namespace: kube-system")
                + replicaSet("coredns-1", "rs-dns", "d-dns").replace("namespace: shop", "namespace: kube-system")
                + pod("coredns-a", "node-a", "rs-dns", null).replace("namespace: shop", "namespace: kube-system")
                + pod("coredns-b", "node-a", "rs-dns", null).replace("namespace: shop", "namespace: kube-system");

        ScanRun run = ScanRun.withStdin(CLUSTER + dns, "--from", "-", "--fail", "node=node-a");

        assertThat(run.out()).contains("kube-system/Deployment/coredns", "loses all 2 ready replicas: an outage");
    }

    @Test
    void a_service_whose_only_endpoint_is_one_pod_is_named_unless_the_policy_accepts_one_replica() throws Exception {
        String dump = "apiVersion: v1\nkind: List\nitems:\n" + workload("Deployment", "cart", 1, "d-cart") + """
                - apiVersion: v1
                  kind: Service
                  metadata: {name: cart, namespace: shop}
                  spec: {selector: {app: cart}, ports: [{port: 80}]}
                - apiVersion: v1
                  kind: Service
                  metadata: {name: nothing, namespace: shop}
                  spec: {selector: {app: gone}, ports: [{port: 80}]}
                """;

        ScanRun defaults = scan(dump, null);
        ScanRun single = scan(dump, "defaults: {minReplicas: {minimum: 1}}");

        assertThat(findings(defaults, "minReplicas")).anySatisfy(f -> {
            assertThat(f.path("object").asText()).isEqualTo("Service cart");
            assertThat(f.path("severity").asText()).isEqualTo("medium");
            assertThat(f.path("message").asText()).contains("selects the pods of Deployment cart alone, which runs 1 "
                    + "replica: the Service has one endpoint");
        }).noneSatisfy(f -> assertThat(f.path("object").asText()).isEqualTo("Service nothing"));
        assertThat(findings(single, "minReplicas")).noneSatisfy(f -> assertThat(f.path("object").asText())
                .startsWith("Service"));
    }
}

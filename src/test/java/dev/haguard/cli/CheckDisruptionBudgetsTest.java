package dev.haguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** disruptionBudgets through check, where the manifests checked together are the cluster the rule sees. */
class CheckDisruptionBudgetsTest {

    private static String deployment(int replicas) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: shop}
                spec:
                  replicas: %d
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web, tier: front}}
                    spec:
                      containers: [{name: web, image: "nginx:1.27", readinessProbe: {httpGet: {path: /, port: 80}}}]
                """.formatted(replicas);
    }

    private static String budget(String name, String spec) {
        return """
                ---
                apiVersion: policy/v1
                kind: PodDisruptionBudget
                metadata: {name: %s, namespace: shop}
                spec: %s
                """.formatted(name, spec);
    }

    private static String rule(CheckRun run, String object) {
        return run.out().lines().dropWhile(l -> !l.contains(object)).takeWhile(l -> !l.isBlank())
                .filter(l -> l.contains("disruptionBudgets")).findFirst().orElse("");
    }

    @Test
    void a_replicated_workload_without_a_budget_is_warned_with_the_budget_to_add() {
        CheckRun run = CheckRun.withStdin(deployment(3), "-");

        assertThat(run.exit()).isEqualTo(CheckCommand.ADMITTED);
        assertThat(rule(run, "Deployment shop/web")).contains("warn", "runs 3 replicas and no PodDisruptionBudget selects "
                + "its pods", "Fix: add a PodDisruptionBudget with maxUnavailable: 1 and selector: {matchLabels: {");
    }

    /** ha-guard's default budget (createDefault) goes when the user's own arrives: theirs is no overlap to report. */
    @Test
    void a_users_budget_beside_ha_guards_default_one_is_not_an_overlap() {
        String ours = """
                ---
                apiVersion: policy/v1
                kind: PodDisruptionBudget
                metadata:
                  name: ha-guard-deployment-web
                  namespace: shop
                  labels: {haguard.dev/default-budget: "true", app.kubernetes.io/managed-by: ha-guard}
                spec: {maxUnavailable: 1, selector: {matchLabels: {app: web}}}
                """;
        String theirs = budget("web", "{maxUnavailable: 1, selector: {matchLabels: {app: web}}}");

        CheckRun run = CheckRun.withStdin(deployment(3) + ours + theirs, "-");
        assertThat(rule(run, "PodDisruptionBudget shop/web")).contains("disruptionBudgets pass");
        assertThat(rule(run, "Deployment shop/web")).contains("disruptionBudgets pass");

        CheckRun unlabelled = CheckRun.withStdin(deployment(3) + ours.replace("haguard.dev/default-budget", "x") + theirs,
                "-");
        assertThat(rule(unlabelled, "PodDisruptionBudget shop/web")).as("two budgets of the user's are an overlap")
                .contains("also selected by PodDisruptionBudget ha-guard-deployment-web");
    }

    @Test
    void one_budget_that_allows_an_eviction_passes() {
        CheckRun run = CheckRun.withStdin(deployment(3) + budget("web", "{maxUnavailable: 1, selector: {matchLabels: {app: web}}}"), "-");

        assertThat(rule(run, "Deployment shop/web")).contains("disruptionBudgets pass");
        assertThat(rule(run, "PodDisruptionBudget shop/web")).contains("disruptionBudgets pass");
    }

    @Test
    void a_budget_that_allows_no_eviction_blocks_every_drain_from_either_side() {
        String blocking = budget("web", "{minAvailable: \"100%\", selector: {matchExpressions: [{key: tier, operator: In, values: [front]}]}}");

        CheckRun run = CheckRun.withStdin(deployment(2) + blocking, "-");

        assertThat(rule(run, "Deployment shop/web")).contains("PodDisruptionBudget web (minAvailable: \"100%\") allows no "
                + "voluntary eviction at 2 replicas", "every node drain and cluster upgrade blocks",
                "Fix: set maxUnavailable: 1 in PodDisruptionBudget web");
        assertThat(rule(run, "PodDisruptionBudget shop/web")).contains("it allows no voluntary eviction of Deployment web "
                + "at 2 replicas");
    }

    @Test
    void a_percentage_that_rounds_up_to_every_pod_blocks_at_that_count_only() {
        String ninety = budget("web", "{minAvailable: \"90%\", selector: {matchLabels: {app: web}}}");

        assertThat(rule(CheckRun.withStdin(deployment(2) + ninety, "-"), "Deployment shop/web"))
                .contains("allows no voluntary eviction at 2 replicas");
        assertThat(rule(CheckRun.withStdin(deployment(20) + ninety, "-"), "Deployment shop/web"))
                .contains("disruptionBudgets pass");
    }

    @Test
    void an_hpa_range_is_judged_at_its_minimum_and_maximum() {
        String hpa = """
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: web, namespace: shop}
                spec: {minReplicas: 2, maxReplicas: 10, scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}}
                """;
        String minTwo = budget("web", "{minAvailable: 2, selector: {matchLabels: {app: web}}}");

        assertThat(rule(CheckRun.withStdin(deployment(1) + hpa + minTwo, "-"), "Deployment shop/web"))
                .contains("is scaled between 2 and 10 replicas by an HPA", "allows no voluntary eviction at 2 replicas");
    }

    @Test
    void two_budgets_selecting_the_same_pods_are_reported() {
        CheckRun run = CheckRun.withStdin(deployment(3) + budget("a", "{maxUnavailable: 1, selector: {matchLabels: {app: web}}}")
                + budget("b", "{maxUnavailable: 1, selector: {matchLabels: {tier: front}}}"), "-");

        assertThat(rule(run, "Deployment shop/web")).contains("selected by PodDisruptionBudgets a and b",
                "the eviction API refuses to evict a pod that more than one budget selects");
        assertThat(rule(run, "PodDisruptionBudget shop/a")).contains("also selected by PodDisruptionBudget b");
    }

    @Test
    void a_budget_that_selects_no_workload_is_a_note_not_a_selector_rewrite() {
        // As kube-prometheus' alertmanager-main budget: its pods come from the StatefulSet the operator makes.
        CheckRun run = CheckRun.withStdin(deployment(3) + budget("alertmanager-main",
                "{maxUnavailable: 1, selector: {matchLabels: {alertmanager: main}}}"), "-");

        assertThat(run.out()).contains("disruptionBudgets warn   selects the pods of no Deployment or StatefulSet known "
                + "in shop (selector alertmanager=main). If an operator creates its pods")
                .doesNotContain("set spec.selector to");
    }

    @Test
    void a_single_replica_is_not_asked_for_a_budget() {
        assertThat(CheckRun.withStdin(deployment(1), "-v", "-").out()).contains("fewer than 2 replicas");
    }

    @Test
    void a_second_autoscaler_for_the_same_workload_is_warned() {
        String hpa = """
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: %s, namespace: shop}
                spec: {minReplicas: 2, maxReplicas: 5, scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}}
                """;

        CheckRun run = CheckRun.withStdin(deployment(2) + hpa.formatted("web-cpu") + hpa.formatted("web-queue"), "-");

        assertThat(run.out()).contains("HorizontalPodAutoscaler shop/web-queue: ADMITTED", "minReplicas      warn   "
                + "HorizontalPodAutoscaler web-cpu already scales Deployment web: two autoscalers fight over its replicas");
        assertThat(run.out().lines().filter(l -> l.contains("already scales"))).hasSize(1);
    }

    @Test
    void an_autoscaler_whose_target_does_not_exist_is_told_the_nearest_name() {
        // As sock-shop's: HorizontalPodAutoscaler cart scales Deployment carts, and the Deployment is named cart.
        String hpa = """
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: cart, namespace: shop}
                spec: {minReplicas: 2, maxReplicas: 5, scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: wbe}}
                """;

        CheckRun run = CheckRun.withStdin(deployment(2) + hpa, "-");

        assertThat(run.out()).contains("HorizontalPodAutoscaler shop/cart: ADMITTED", "scaleTargetRef names Deployment "
                + "wbe, which does not exist in namespace shop (or not yet): this autoscaler scales nothing. Fix: set "
                + "scaleTargetRef.name: web");
    }
}

package dev.haguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Workload kinds named in the policy (Argo Rollouts, the documented example) are judged like Deployments. */
class CheckWorkloadKindsTest {

    private static final String ROLLOUT = """
            apiVersion: argoproj.io/v1alpha1
            kind: Rollout
            metadata: {name: web, namespace: shop}
            spec:
              replicas: 1
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers: [{name: web, image: "nginx:latest", ports: [{containerPort: 8080}]}]
              strategy: {canary: {steps: [{setWeight: 20}]}}
            """;

    @Test
    void a_rollout_named_in_the_policy_is_judged_for_replicas_and_images() {
        CheckRun run = CheckRun.withStdin(ROLLOUT, "--policy", "policies/argo-rollouts.yaml", "-");

        assertThat(run.exit()).isEqualTo(CheckCommand.DENIED);
        assertThat(run.out()).contains("Rollout shop/web: DENIED",
                "spec.replicas is 1, below the minimum of 2 (policy defaults)",
                "Fix: set spec.replicas: 2 or more in the Rollout manifest",
                "spec.template.spec.containers[name=web] image \"nginx:latest\" uses the mutable tag :latest");
    }

    @Test
    void with_enough_replicas_its_template_is_judged_for_readiness_probes() {
        CheckRun run = CheckRun.withStdin(ROLLOUT.replace("replicas: 1", "replicas: 3").replace("nginx:latest",
                "nginx:1.27"), "--policy", "policies/argo-rollouts.yaml", "-");

        assertThat(run.exit()).isEqualTo(CheckCommand.ADMITTED);
        assertThat(run.out()).contains("readinessProbes  warn   runs 3 replicas and none of its containers (web) has a readinessProbe",
                "readinessProbe: {httpGet: {path: <health path>, port: 8080}}");
    }

    @Test
    void without_the_policy_entry_a_rollout_is_not_judged() {
        CheckRun run = CheckRun.withStdin(ROLLOUT, "-");

        assertThat(run.exit()).isEqualTo(CheckCommand.ADMITTED);
        assertThat(run.out()).contains("Rollout shop/web: ADMITTED").doesNotContain("minReplicas");
    }

    @Test
    void a_replicaset_that_a_rollout_controls_is_never_judged_for_replicas() {
        String replicaSet = """
                apiVersion: apps/v1
                kind: ReplicaSet
                metadata:
                  name: web-6d4f8
                  namespace: shop
                  ownerReferences: [{apiVersion: argoproj.io/v1alpha1, kind: Rollout, name: web, uid: u1, controller: true}]
                spec:
                  replicas: 0
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers: [{name: web, image: "nginx:1.27"}]
                """;

        CheckRun run = CheckRun.withStdin(replicaSet, "--policy", "policies/argo-rollouts.yaml", "-v", "-");

        assertThat(run.exit()).isEqualTo(CheckCommand.ADMITTED);
        assertThat(run.out()).contains("ReplicaSet with a controller");
    }
}

package dev.haguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.haguard.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckCommandTest {

    private static final String POD = """
            apiVersion: v1
            kind: Pod
            metadata: {name: solo, labels: {app: solo}}
            spec:
              containers: [{name: c, image: "nginx:1.27"}]
            """;

    @Test
    void judges_the_configured_policy_configmap_as_the_policy_document() {
        String broken = """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: ha-policy, namespace: platform}
                data:
                  rules.yaml: |
                    version: 1
                    defaults: {minReplicas: {minimum: 0}}
                """;

        CheckRun asDefault = CheckRun.withStdin(broken, "-");
        CheckRun asConfigured = CheckRun.withStdin(broken, "--policy-configmap", "platform/ha-policy",
                "--policy-key", "rules.yaml", "-");

        assertThat(asDefault.exit()).as("not the default ha-guard/ha-guard-policies").isEqualTo(CheckCommand.ADMITTED);
        assertThat(asConfigured.exit()).as(asConfigured.out()).isEqualTo(CheckCommand.DENIED);
        assertThat(asConfigured.out()).contains("policyDocument", "invalid policy: data.rules.yaml line 2",
                "defaults.minReplicas.minimum");
    }

    @Test
    void a_policy_configmap_without_a_namespace_is_refused() {
        CheckRun run = CheckRun.withStdin(POD, "--policy-configmap", "ha-policy", "-");

        assertThat(run.exit()).isEqualTo(CheckCommand.UNUSABLE);
        assertThat(run.err()).contains("--policy-configmap", "NAMESPACE/NAME");
    }

    @Test
    void the_good_examples_pass_with_exit_0() {
        CheckRun run = CheckRun.of("deploy/examples/good");

        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("Deployment shop/web: ADMITTED", "3 object(s) checked: 3 admitted, 0 denied");
    }

    @Test
    void the_bad_examples_are_denied_with_exit_1_and_file_and_line() {
        CheckRun run = CheckRun.of("deploy/examples/bad");

        assertThat(run.exit()).isEqualTo(CheckCommand.DENIED);
        assertThat(run.out()).contains("deploy/examples/bad/api.yaml:2 Deployment shop/api: DENIED",
                "spec.replicas is 1", ":latest", "worker-hpa.yaml:2 HorizontalPodAutoscaler shop/worker: DENIED");
    }

    @Test
    void an_autoscaler_among_the_manifests_sizes_its_workload() {
        String deployment = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec: {containers: [{name: web, image: "nginx:1.27"}]}
                """;
        String hpa = """
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: web}
                spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}, minReplicas: 2, maxReplicas: 5}
                """;

        assertThat(CheckRun.withStdin(deployment, "-").exit()).isEqualTo(CheckCommand.DENIED);
        assertThat(CheckRun.withStdin(deployment + "---\n" + hpa, "-").exit()).isZero();
    }

    @Test
    void yaml_output_is_the_object_as_it_would_be_stored() throws Exception {
        CheckRun run = CheckRun.withStdin(POD, "-o", "yaml", "-n", "shop", "-");

        JsonNode stored = new YAMLMapper().readTree(run.out());
        assertThat(run.exit()).isZero();
        assertThat(stored.path("metadata").path("namespace").asText()).isEqualTo("shop");
        assertThat(stored.path("spec").path("topologySpreadConstraints").findValuesAsText("topologyKey"))
                .containsExactly("kubernetes.io/hostname", "topology.kubernetes.io/zone");
    }

    @Test
    void a_policy_file_changes_the_verdict() {
        CheckRun run = CheckRun.of("--policy", "src/test/resources/policies/raise-to-three.yaml", "-o", "json",
                "deploy/examples/bad/api.yaml");

        JsonNode result = parse(run.out()).get(0);
        assertThat(result.path("mutate").path("patch").toString()).contains("/spec/replicas");
        assertThat(result.path("validate").path("message").asText()).doesNotContain("minReplicas").contains(":latest");
    }

    private static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(json, e);
        }
    }

    @Test
    void unusable_input_exits_2_naming_file_and_line(@TempDir Path dir) throws Exception {
        Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, POD + "---\nkind: [oops\n");
        Path noKind = dir.resolve("nokind.yaml");
        Files.writeString(noKind, "# comment\nmetadata: {name: x}\n");

        assertThat(CheckRun.of(broken.toString()).err()).contains("broken.yaml:8:1: not valid YAML", "starts at line 7");
        assertThat(CheckRun.of(broken.toString()).exit()).isEqualTo(CheckCommand.UNUSABLE);
        assertThat(CheckRun.of(noKind.toString()).err()).contains("nokind.yaml:2: not a Kubernetes object");
        assertThat(CheckRun.of(dir.resolve("missing.yaml").toString()).exit()).isEqualTo(CheckCommand.UNUSABLE);
        assertThat(CheckRun.of("--policy", noKind.toString(), "deploy/examples/good").err()).contains("unusable policy");
        assertThat(CheckRun.of("--output", "xml", "-").exit()).isEqualTo(CheckCommand.UNUSABLE);
    }
}

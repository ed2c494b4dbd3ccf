package dev.haguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** check reads YAML as kubectl does, and reports what kubectl would refuse with its reason. */
class CheckYamlTest {

    private static final String ANCHORED = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              labels: &l
                app: web
            spec:
              replicas: 3
              selector:
                matchLabels: {<<: *l, tier: front}
              template:
                metadata:
                  labels: *l
                spec:
                  initContainers:
                  - name: init
                    image: &img "nginx:1.27"
                  containers:
                  - name: web
                    image: *img
                    readinessProbe: {httpGet: {path: /, port: 80}}
            """;

    @Test
    void anchors_aliases_and_merge_keys_are_resolved() {
        CheckRun run = CheckRun.withStdin(ANCHORED, "-o", "yaml", "-");

        JsonNode stored = stored(run);
        assertThat(run.exit()).as(run.err()).isEqualTo(CheckCommand.ADMITTED);
        assertThat(stored.at("/spec/template/spec/initContainers/0/image").asText()).isEqualTo("nginx:1.27");
        assertThat(stored.at("/spec/template/spec/containers/0/image").asText()).isEqualTo("nginx:1.27");
        assertThat(stored.at("/spec/template/metadata/labels")).isEqualTo(stored.at("/metadata/labels"));
        assertThat(stored.at("/spec/selector/matchLabels").properties()).extracting(Map.Entry::getKey)
                .containsExactlyInAnyOrder("app", "tier");
    }

    @Test
    void a_merged_key_never_overrides_one_written_in_the_mapping() {
        String yaml = ANCHORED.replace("{<<: *l, tier: front}", "{app: other, <<: *l}");

        assertThat(stored(CheckRun.withStdin(yaml, "-o", "yaml", "-")).at("/spec/selector/matchLabels/app").asText())
                .isEqualTo("other");
    }

    private static JsonNode stored(CheckRun run) {
        try {
            return new YAMLMapper().readTree(run.out());
        } catch (java.io.IOException e) {
            throw new AssertionError(run.out(), e);
        }
    }

    @Test
    void a_tab_that_only_trails_a_line_is_read_as_kubectl_reads_it() {
        CheckRun run = CheckRun.withStdin(ANCHORED.replace("metadata:\n  name: web", "metadata:\t\n  name: web"), "-");

        assertThat(run.exit()).as(run.err()).isEqualTo(CheckCommand.ADMITTED);
    }

    @Test
    void a_tab_used_for_indentation_is_refused_with_line_and_column() {
        CheckRun run = CheckRun.withStdin(ANCHORED.replace("  name: web", "\tname: web"), "-");

        assertThat(run.exit()).isEqualTo(CheckCommand.UNUSABLE);
        assertThat(run.err()).contains("<stdin>:4:1: tab character: YAML indents with spaces");
    }

    @Test
    void a_duplicate_key_is_refused_naming_both_lines() {
        CheckRun run = CheckRun.withStdin(ANCHORED.replace("  replicas: 3\n", "  replicas: 3\n  replicas: 1\n"), "-");

        assertThat(run.exit()).isEqualTo(CheckCommand.UNUSABLE);
        assertThat(run.err()).contains("<stdin>:9:3: duplicate key \"replicas\" (first at line 8)");
    }

    @Test
    void a_quoted_number_is_refused_as_the_api_server_refuses_it() {
        CheckRun run = CheckRun.withStdin(ANCHORED.replace("replicas: 3", "replicas: \"3\""), "-");

        assertThat(run.exit()).isEqualTo(CheckCommand.UNUSABLE);
        assertThat(run.err()).contains("<stdin>:8: Deployment spec.replicas is the string \"3\", where Kubernetes "
                + "expects a number", "write 3 without quotes");
    }

    @Test
    void a_kind_in_a_version_no_longer_served_is_reported_and_judged_as_the_served_one() {
        String old = """
                apiVersion: apps/v1beta2
                kind: StatefulSet
                metadata: {name: db}
                spec:
                  replicas: 1
                  template:
                    spec:
                      containers: [{name: db, image: "postgres:latest"}]
                ---
                apiVersion: v1
                kind: Deployment
                metadata: {name: never}
                spec: {replicas: 3}
                """;

        CheckRun run = CheckRun.withStdin(old, "-");

        assertThat(run.exit()).isEqualTo(CheckCommand.DENIED);
        assertThat(run.out())
                .contains("apps/v1beta2 StatefulSet is no longer served (removed in Kubernetes 1.16)",
                        "Fix: set apiVersion: apps/v1 and the fields that changed with it")
                .contains("validate minReplicas      deny   spec.replicas is 1")
                .contains("image \"postgres:latest\" uses the mutable tag :latest")
                .contains("<stdin>:10 Deployment default/never: DENIED",
                        "Kubernetes serves no Deployment in v1, so kubectl cannot apply it. Fix: set apiVersion: apps/v1;")
                .doesNotContain("not a Deployment");
    }

    @Test
    void each_item_of_a_list_is_reported_at_its_own_line_and_cluster_scoped_items_have_no_namespace() {
        String list = """
                apiVersion: v1
                kind: List
                items:
                - apiVersion: rbac.authorization.k8s.io/v1
                  kind: ClusterRole
                  metadata: {name: reader, namespace: stray}
                - apiVersion: v1
                  kind: ReplicationController
                  metadata: {name: frontend}
                  spec:
                    replicas: 1
                    template:
                      spec:
                        containers: [{name: web, image: "nginx:1.27"}]
                """;

        CheckRun run = CheckRun.withStdin(list, "-");

        assertThat(run.out()).contains("<stdin>:4 ClusterRole reader: ADMITTED")
                .contains("<stdin>:7 ReplicationController default/frontend: DENIED")
                .contains("spec.replicas is 1, below the minimum of 2 (policy defaults)",
                        "Fix: set spec.replicas: 2 or more in the ReplicationController manifest");
    }

    @Test
    void a_summary_line_counts_each_rule_and_fail_on_warn_fails_on_warnings() {
        String warned = ANCHORED.replace("    readinessProbe: {httpGet: {path: /, port: 80}}\n", "");

        CheckRun plain = CheckRun.withStdin(warned, "-");
        CheckRun strict = CheckRun.withStdin(warned, "--fail-on-warn", "-");

        assertThat(plain.exit()).isEqualTo(CheckCommand.ADMITTED);
        assertThat(plain.out()).contains("by rule: readinessProbes 1 warn");
        assertThat(strict.exit()).isEqualTo(CheckCommand.DENIED);
    }

    @Test
    void an_exempt_object_says_why_without_verbose() {
        CheckRun run = CheckRun.withStdin(ANCHORED.replace("  name: web\n", "  name: web\n  namespace: kube-system\n")
                .replace("replicas: 3", "replicas: 1"), "-");

        assertThat(run.exit()).isEqualTo(CheckCommand.ADMITTED);
        assertThat(run.out()).contains("not judged: namespace kube-system is exempt in the policy");
    }

    @Test
    void a_helm_template_is_recognised_even_inside_quoted_values_and_never_counts_as_pinned() {
        String template = ANCHORED.replace("image: *img", "image: \"{{ .Values.image.repository }}:{{ .Values.image.tag }}\"");

        CheckRun run = CheckRun.withStdin(template, "-");

        assertThat(run.exit()).isEqualTo(CheckCommand.UNUSABLE);
        assertThat(run.err()).contains("a Helm template: render it first, e.g. helm template . | ha-guard check -");
    }
}

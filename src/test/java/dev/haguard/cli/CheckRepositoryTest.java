package dev.haguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** check over a whole repository, as real ones are: what is no manifest is skipped with a note, the rest judged. */
class CheckRepositoryTest {

    @TempDir
    Path repo;

    private void write(String path, String text) throws Exception {
        Path file = repo.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    @BeforeEach
    void aRepository() throws Exception {
        write("deploy/api.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: api, namespace: shop}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: api}}
                  template:
                    metadata: {labels: {app: api}}
                    spec: {containers: [{name: api, image: "registry.example/api:1.2.3"}]}
                """);
        write("deploy/kustomization.yaml", "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
                + "resources: [api.yaml]\n");
        write("monitoring/alerts.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: alerts, namespace: shop}
                data:
                  rules.yaml: 'summary: "{{ $labels.instance }} is down"'
                """);
        write("chart/Chart.yaml", "apiVersion: v2\nname: shop\nversion: 1.0.0\n");
        write("chart/values.yaml", "replicaCount: 1\nimage: {tag: latest}\n");
        write("chart/templates/deployment.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n"
                + "  name: {{ include \"shop.fullname\" . }}\nspec:\n  replicas: {{ .Values.replicaCount }}\n");
        write("config/settings.yml", "server:\n  port: 8080\n");
        write(".github/workflows/ci.yml", "name: ci\non: push\n");
    }

    @Test
    void skips_what_is_no_manifest_with_a_note_and_judges_the_rest() {
        CheckRun run = CheckRun.of(repo.toString());

        assertThat(run.exit()).as(run.err()).isEqualTo(CheckCommand.DENIED);
        assertThat(run.out()).contains("Deployment shop/api: DENIED", "ConfigMap shop/alerts",
                "2 object(s) checked: 1 admitted, 1 denied");
        assertThat(run.err()).contains(
                "skipped " + repo.resolve("deploy/kustomization.yaml") + ": a kustomization: render it first",
                "skipped " + repo.resolve("chart/Chart.yaml") + ": not a Kubernetes manifest",
                "skipped " + repo.resolve("chart/values.yaml") + ": not a Kubernetes manifest",
                "skipped " + repo.resolve("chart/templates/deployment.yaml") + ": a Helm template: render it first, "
                        + "e.g. helm template . | ha-guard check -",
                "skipped " + repo.resolve("config/settings.yml") + ": not a Kubernetes manifest (the document at line 1 "
                        + "has no apiVersion and kind)")
                .doesNotContain(".github");
    }

    @Test
    void exclude_skips_paths_below_the_directory_or_names() {
        CheckRun run = CheckRun.of("--exclude", "deploy/**", "--exclude", "values*.yaml", repo.toString());

        assertThat(run.exit()).as(run.err()).isEqualTo(CheckCommand.ADMITTED);
        assertThat(run.err()).contains("skipped " + repo.resolve("deploy/api.yaml") + ": excluded",
                "skipped " + repo.resolve("chart/values.yaml") + ": excluded");
        assertThat(run.out()).contains("1 object(s) checked: 1 admitted, 0 denied");
    }

    @Test
    void nothing_to_judge_is_unusable_input() {
        CheckRun run = CheckRun.of(repo.resolve("chart").toString());

        assertThat(run.exit()).isEqualTo(CheckCommand.UNUSABLE);
        assertThat(run.err()).contains("no Kubernetes objects found in " + repo.resolve("chart"));
    }

    @Test
    void a_helm_template_named_on_its_own_says_to_render_it() {
        CheckRun run = CheckRun.of(repo.resolve("chart/templates/deployment.yaml").toString());

        assertThat(run.exit()).isEqualTo(CheckCommand.UNUSABLE);
        assertThat(run.err()).contains("a Helm template: render it first, e.g. helm template . | ha-guard check -");
    }

    @Test
    void a_manifest_that_does_not_parse_still_fails_with_file_and_line() throws Exception {
        write("deploy/broken.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata: [unclosed\n");

        CheckRun run = CheckRun.of(repo.toString());

        assertThat(run.exit()).isEqualTo(CheckCommand.UNUSABLE);
        assertThat(run.err()).contains(repo.resolve("deploy/broken.yaml") + ":").contains("not valid YAML");
    }

    @Test
    void a_patch_that_a_kustomization_names_is_skipped_not_judged_as_an_object() throws Exception {
        write("overlays/prod/kustomization.yaml", """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources: [../../deploy]
                patches: [{path: replicas.yaml}]
                patchesStrategicMerge: [drop-debug.yaml]
                """);
        write("overlays/prod/replicas.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\n"
                + "spec: {replicas: 1}\n");
        write("overlays/prod/drop-debug.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: debug}\n"
                + "$patch: delete\n");

        CheckRun run = CheckRun.of(repo.toString());

        assertThat(run.err()).contains("skipped " + repo.resolve("overlays/prod/replicas.yaml") + ": a kustomize patch (of "
                + repo.resolve("overlays/prod/kustomization.yaml") + ")", "skipped "
                + repo.resolve("overlays/prod/drop-debug.yaml") + ": a kustomize patch");
        assertThat(run.out()).doesNotContain("Deployment default/api").doesNotContain("debug");
    }

    /** As kube-prometheus writes them: Go templates in rule annotations and in Alertmanager's notification templates. */
    private static final String MONITORING = """
            apiVersion: monitoring.coreos.com/v1
            kind: PrometheusRule
            metadata: {name: node-rules, namespace: monitoring}
            spec:
              groups:
              - name: node
                rules:
                - alert: NodeDown
                  expr: up{job="node"} == 0
                  annotations:
                    description: Node {{ $labels.instance }} has been down for 5 minutes.
                    summary: '{{ with query "up" }}{{ . | first | value }}{{ end }} nodes up'
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: alertmanager-templates, namespace: monitoring}
            data:
              email.tmpl: |
                {{ define "email.subject" }}[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }}{{ end }}
                {{ range .Alerts }}{{ if .Annotations.description }}{{ .Annotations.description }}{{ end }}{{ end }}
            """;

    private static final String ONE_REPLICA_LATEST = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: grafana, namespace: monitoring}
            spec:
              replicas: 1
              selector: {matchLabels: {app: grafana}}
              template:
                metadata: {labels: {app: grafana}}
                spec: {containers: [{name: grafana, image: "grafana/grafana:latest"}]}
            """;

    @Test
    void go_templates_in_values_are_data_so_the_deployment_beside_them_is_judged() throws Exception {
        write("observability/stack.yaml", MONITORING + "---\n" + ONE_REPLICA_LATEST);

        CheckRun folder = CheckRun.of(repo.resolve("observability").toString());
        CheckRun stdin = CheckRun.withStdin(MONITORING + "---\n" + ONE_REPLICA_LATEST, "-");

        for (CheckRun run : List.of(folder, stdin)) {
            assertThat(run.exit()).as(run.err()).isEqualTo(CheckCommand.DENIED);
            assertThat(run.out()).contains("Deployment monitoring/grafana: DENIED", "ConfigMap monitoring/alertmanager-templates",
                    "PrometheusRule monitoring/node-rules", "3 object(s) checked: 2 admitted, 1 denied");
            assertThat(run.err()).doesNotContain("template");
        }
    }

    @Test
    void a_scan_of_a_dump_with_go_templates_judges_it() {
        ScanRun run = ScanRun.withStdin(MONITORING + "---\n" + ONE_REPLICA_LATEST, "--from", "-");

        assertThat(run.exit()).as(run.err()).isEqualTo(1);
        assertThat(run.out()).contains("Deployment grafana");
    }

    @Test
    void one_stray_file_does_not_stop_the_folder_and_the_summary_says_what_was_skipped() throws Exception {
        write("bookinfo/ratings_data.json", "{\"rating\": 5, \"reviewer\": \"a\"}\n{\"rating\": 4, \"reviewer\": \"b\"}\n");
        write("istio/operator.yaml", "apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nspec:\n  profile: demo\n");

        CheckRun run = CheckRun.of(repo.toString());

        assertThat(run.exit()).as(run.err()).isEqualTo(CheckCommand.DENIED);
        assertThat(run.out()).contains("Deployment shop/api: DENIED").containsPattern(
                "2 object\\(s\\) checked: 1 admitted, 1 denied; \\d+ file\\(s\\) or object\\(s\\) skipped");
        assertThat(run.err()).contains("skipped " + repo.resolve("bookinfo/ratings_data.json")
                + ": neither YAML nor JSON that kubectl reads (line 2", "skipped " + repo.resolve("istio/operator.yaml")
                + ":1: IstioOperator has no metadata, so the API server would refuse it");
    }

    @Test
    void a_stray_file_named_on_its_own_is_still_an_error() throws Exception {
        write("bookinfo/ratings_data.json", "{\"rating\": 5}\n{\"rating\": 4}\n");
        write("istio/operator.yaml", "apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nspec:\n  profile: demo\n");
        for (String file : List.of("bookinfo/ratings_data.json", "istio/operator.yaml")) {
            assertThat(CheckRun.of(repo.resolve(file).toString()).exit()).as(file).isEqualTo(CheckCommand.UNUSABLE);
        }
    }
}

package dev.haguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
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
}

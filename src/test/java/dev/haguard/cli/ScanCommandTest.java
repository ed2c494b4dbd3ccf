package dev.haguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haguard.json.Json;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** scan on a dump (--from) and on a live cluster (the fabric8 mock API server in CRUD mode), through one path. */
class ScanCommandTest {

    @TempDir
    Path dir;

    private static final String DUMP = """
            apiVersion: v1
            kind: List
            items:
            - apiVersion: apps/v1
              kind: Deployment
              metadata: {name: api, namespace: shop, uid: d1}
              spec:
                replicas: 1
                selector: {matchLabels: {app: api}}
                template:
                  metadata: {labels: {app: api}}
                  spec: {containers: [{name: api, image: "registry.example/api:1.4.2"}]}
              status: {replicas: 1, readyReplicas: 1}
            - apiVersion: v1
              kind: Pod
              metadata:
                name: api-7d9f-x2
                namespace: shop
                labels: {app: api}
                ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: api-7d9f, uid: r1, controller: true}]
              spec: {nodeName: node-a, containers: [{name: api, image: "registry.example/api:1.4.2"}]}
            - apiVersion: v1
              kind: Pod
              metadata: {name: debug, namespace: shop, labels: {run: debug}}
              spec: {containers: [{name: sh, image: "busybox:latest"}]}
            - apiVersion: v1
              kind: Service
              metadata: {name: api, namespace: shop}
              spec: {ports: [{port: 80}]}
            """;

    private static ScanRun scan(String stdin, String... args) {
        return ScanRun.withStdin(stdin, args);
    }

    @Test
    void a_dump_is_judged_per_workload_with_severities_a_score_and_what_was_not_judged() {
        ScanRun run = scan(DUMP, "--from", "-");

        assertThat(run.exit()).as(run.err()).isEqualTo(CheckCommand.DENIED);
        assertThat(run.out()).contains("shop: DR readiness 0/100 (0 of 2 objects without a warning or denial)",
                "HIGH   minReplicas", "Deployment api", "spec.replicas is 1, below the minimum of 2",
                "HIGH   imageReferences", "Pod debug", "LOW    topologySpread", "would add: spread pods of run=debug")
                .contains("MEDIUM minReplicas", "Pod debug", "this Pod has no controller")
                .contains("not judged: 1 Pod managed by a controller (judged on the controller), 1 Service (read for "
                        + "what the rules judge against)")
                .doesNotContain("api-7d9f-x2");
    }

    @Test
    void fail_on_sets_the_severity_that_fails_and_json_has_the_documented_shape() throws Exception {
        String oneHealthy = DUMP.replace("replicas: 1\n", "replicas: 3\n").replace("busybox:latest", "busybox:1.36");

        ScanRun high = scan(oneHealthy, "--from", "-");
        ScanRun medium = scan(oneHealthy, "--from", "-", "--fail-on", "medium", "-o", "json");

        assertThat(high.exit()).as(high.out()).isEqualTo(CheckCommand.ADMITTED);
        assertThat(medium.exit()).isEqualTo(CheckCommand.DENIED);
        JsonNode json = Json.MAPPER.readTree(medium.out());
        assertThat(json.at("/namespaces/0/name").asText()).isEqualTo("shop");
        assertThat(json.at("/namespaces/0/findings").findValuesAsText("rule")).contains("disruptionBudgets");
        assertThat(json.at("/namespaces/0/findings/0/severity").asText()).isEqualTo("medium");
        assertThat(json.at("/cluster/objects").asInt()).isEqualTo(2);
        assertThat(json.at("/notJudged").size()).isEqualTo(2);
    }

    @Test
    void a_live_cluster_is_read_through_the_kubeconfig_and_judged_like_its_dump() throws Exception {
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init();
        try (KubernetesClient kube = server.createClient()) {
            kube.resource(new DeploymentBuilder().withNewMetadata().withName("api").withNamespace("shop").endMetadata()
                    .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", "api").endSelector()
                    .withNewTemplate().withNewMetadata().addToLabels("app", "api").endMetadata().withNewSpec()
                    .addNewContainer().withName("api").withImage("registry.example/api:1.4.2").endContainer().endSpec()
                    .endTemplate().endSpec().build()).create();
            kube.resource(new PodBuilder().withNewMetadata().withName("debug").withNamespace("shop").addToLabels("run",
                    "debug").endMetadata().withNewSpec().addNewContainer().withName("sh").withImage("busybox:latest")
                    .endContainer().endSpec().build()).create();
            kube.resource(new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder().withNewMetadata()
                    .withName("data").withNamespace("shop").endMetadata().build()).create();
            Path kubeconfig = kubeconfig(kube.getMasterUrl().toString());

            ScanRun live = scan("", "--kubeconfig", kubeconfig.toString(), "-n", "shop");

            assertThat(live.exit()).as(live.err()).isEqualTo(CheckCommand.DENIED);
            assertThat(live.out()).contains("Deployment api", "spec.replicas is 1", "Pod debug", "busybox:latest",
                    "Velero has no Schedule: no backups are taken of the 1 namespace(s) that need them (shop)");
            assertThat(kube.apps().deployments().inNamespace("shop").withName("api").get().getSpec().getReplicas())
                    .as("scan never writes").isEqualTo(1);
        } finally {
            server.destroy();
        }
    }

    @Test
    void a_live_cluster_without_velero_is_one_cluster_finding_not_an_error() throws Exception {
        KubernetesMockServer server = dev.haguard.cluster.CrdAwareDispatcher.server(); // velero.io answers 404
        try (KubernetesClient kube = server.createClient()) {
            kube.resource(new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder().withNewMetadata()
                    .withName("data").withNamespace("shop").endMetadata().build()).create();

            ScanRun live = scan("", "--kubeconfig", kubeconfig(kube.getMasterUrl().toString()).toString());

            assertThat(live.exit()).as("backups warns by default: medium, below --fail-on high").as(live.err())
                    .isEqualTo(CheckCommand.ADMITTED);
            assertThat(live.out()).contains("(cluster): MEDIUM Velero is not installed (no velero.io CRDs): no backups "
                    + "are taken of the 1 namespace(s) that need them (shop)");
        } finally {
            server.destroy();
        }
    }

    @Test
    void a_refused_list_names_the_permission_the_scan_needs() throws Exception {
        KubernetesMockServer server = new KubernetesMockServer(false);
        server.init();
        try {
            server.expect().get().withPath("/api/v1/namespaces?limit=500").andReturn(403, new StatusBuilder().withCode(403)
                    .withReason("Forbidden").withMessage("namespaces is forbidden").build()).always();
            Path kubeconfig = kubeconfig(server.url("/").replaceAll("/$", ""));

            ScanRun run = scan("", "--kubeconfig", kubeconfig.toString());

            assertThat(run.exit()).isEqualTo(CheckCommand.UNUSABLE);
            assertThat(run.err()).contains("cannot list namespaces at the cluster scope: the API server answered 403 "
                    + "(forbidden)", "kubectl auth can-i list namespaces -A", "it never writes");
        } finally {
            server.destroy();
        }
    }

    @Test
    void crds_custom_resources_and_garbage_are_counted_never_an_error() {
        String dump = DUMP + """
                - apiVersion: apiextensions.k8s.io/v1
                  kind: CustomResourceDefinition
                  metadata: {name: widgets.example.com}
                  spec: {group: example.com, names: {kind: Widget, plural: widgets}, scope: Namespaced, versions: []}
                - apiVersion: example.com/v1
                  kind: Widget
                  metadata: {name: w, namespace: shop}
                  spec: {replicas: "many"}
                - {metadata: {name: no-kind}}
                """;

        ScanRun run = scan(dump, "--from", "-");

        assertThat(run.exit()).as(run.err()).isEqualTo(CheckCommand.DENIED);
        assertThat(run.out()).contains("1 CustomResourceDefinition (no rule judges it)", "1 Widget (no rule judges it)",
                "1  (no rule judges it)");
    }

    @Test
    void every_recorded_create_gets_the_same_verdict_from_scan_as_from_check() throws Exception {
        java.util.List<String> compared = new java.util.ArrayList<>();
        try (var files = Files.list(Path.of("src/test/resources/admission"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".validating.json")).sorted().toList()) {
                JsonNode request = Json.MAPPER.readTree(file.toFile()).path("request");
                JsonNode object = request.path("object");
                boolean controlled = object.path("metadata").path("ownerReferences").findValuesAsText("controller")
                        .contains("true");
                if (!request.path("operation").asText().equals("CREATE") || controlled || !request.path("subResource")
                        .asText().isEmpty() || !java.util.Set.of("Deployment", "StatefulSet", "HorizontalPodAutoscaler",
                        "Pod", "ReplicaSet").contains(object.path("kind").asText())) {
                    continue;
                }
                String yaml = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().writeValueAsString(object);
                boolean denied = CheckRun.withStdin(yaml, "--webhook", "validate", "-").exit() == CheckCommand.DENIED;
                ScanRun scan = scan(yaml, "--from", "-");

                assertThat(scan.exit()).as(file + ": scan " + scan.out()).isEqualTo(denied ? CheckCommand.DENIED
                        : CheckCommand.ADMITTED);
                compared.add(file.getFileName().toString());
            }
        }
        assertThat(compared).hasSizeGreaterThanOrEqualTo(4);
    }

    private Path kubeconfig(String url) throws Exception {
        return ScanRun.kubeconfig(dir, url);
    }
}

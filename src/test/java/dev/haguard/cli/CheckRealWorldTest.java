package dev.haguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haguard.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * check over real public repositories (src/test/resources/realworld, copied unmodified from ../shared/realworld with
 * its README naming sources and licences), as they are and as kubectl kustomize renders them: no fatal error, and
 * every Deployment, StatefulSet, ReplicationController and HPA judged by minReplicas.
 */
class CheckRealWorldTest {

    private static final String ROOT = "src/test/resources/realworld/";
    private static final Set<String> REPLICATED = Set.of("Deployment", "StatefulSet", "ReplicationController",
            "HorizontalPodAutoscaler");

    @ParameterizedTest
    @ValueSource(strings = {"kubernetes-examples", "microservices-demo", "podinfo"})
    void a_whole_repository_checks_through_and_every_replicated_workload_is_judged(String repository) throws Exception {
        CheckRun run = CheckRun.of("-o", "json", ROOT + repository);

        assertThat(run.exit()).as(run.err()).isEqualTo(CheckCommand.DENIED);
        assertEveryReplicatedWorkloadJudged(run);
    }

    @ParameterizedTest
    @ValueSource(strings = {"microservices-demo/kustomize", "microservices-demo/kustomize/tests/spanner-with-all-components",
            "microservices-demo/kubernetes-manifests", "podinfo/kustomize"})
    void a_kustomize_rendering_piped_in_checks_through(String folder) throws Exception {
        Process kustomize = new ProcessBuilder("kubectl", "kustomize", ROOT + folder).redirectErrorStream(false).start();
        String rendered = new String(kustomize.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(kustomize.waitFor()).as(new String(kustomize.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                .isZero();

        CheckRun run = CheckRun.withStdin(rendered, "-o", "json", "-");

        assertThat(run.exit()).as(run.err()).isIn(CheckCommand.ADMITTED, CheckCommand.DENIED);
        assertEveryReplicatedWorkloadJudged(run);
    }

    @ParameterizedTest
    @ValueSource(strings = {"kubernetes-examples/web/guestbook/legacy/redis-master-controller.yaml",
            "kubernetes-examples/web/guestbook/redis-master-deployment.yaml"})
    void a_single_redis_master_is_told_to_replicate_with_redis_not_to_add_copies(String file) {
        CheckRun run = CheckRun.of(ROOT + file);

        assertThat(run.exit()).isEqualTo(CheckCommand.DENIED);
        assertThat(run.out()).contains("redis-master: DENIED", "spec.replicas is 1", "the software's replication")
                .doesNotContain("Fix: set spec.replicas: 2 or more");
    }

    @ParameterizedTest
    @ValueSource(strings = {"kubernetes-examples/AI/model-serving-tensorflow/deployment.yaml"})
    void a_deployment_sharing_a_claim_is_told_about_multi_attach(String file) {
        assertThat(CheckRun.of(ROOT + file).out()).contains("PersistentVolumeClaim \"my-model-pvc\"", "Multi-Attach");
    }

    private static void assertEveryReplicatedWorkloadJudged(CheckRun run) throws IOException {
        JsonNode results = Json.MAPPER.readTree(run.out());
        List<String> replicated = new ArrayList<>();
        for (JsonNode result : results) {
            String kind = result.path("object").asText().split(" ")[0];
            if (!REPLICATED.contains(kind)) {
                continue;
            }
            replicated.add(result.path("object").asText());
            JsonNode minReplicas = null;
            for (JsonNode rule : result.path("validate").path("rules")) {
                if (rule.path("rule").asText().equals("minReplicas")) {
                    minReplicas = rule;
                }
            }
            assertThat(minReplicas).as(result.path("source").asText()).isNotNull();
            String outcome = minReplicas.path("outcome").asText();
            assertThat(outcome.equals("skip") ? minReplicas.path("message").asText() : outcome)
                    .as(result.path("source") + " " + result.path("object") + " judged by minReplicas")
                    .matches("pass|deny|warn|sized by HorizontalPodAutoscaler .*|namespace .* is exempt in the policy");
        }
        assertThat(replicated).isNotEmpty();
    }
}

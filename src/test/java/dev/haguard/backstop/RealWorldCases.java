package dev.haguard.backstop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haguard.Admissions;
import dev.haguard.DeployedWebhooks;
import dev.haguard.Fixtures;
import dev.haguard.Policies;
import dev.haguard.engine.Admission;
import dev.haguard.engine.ClusterView;
import dev.haguard.engine.Decision;
import dev.haguard.engine.Operation;
import dev.haguard.engine.Outcome;
import dev.haguard.engine.RuleDecision;
import dev.haguard.engine.Webhook;
import dev.haguard.policy.Policy;
import dev.haguard.rules.StandardRules;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The real repositories' workloads as cases of the backstop proof. */
final class RealWorldCases {

    private RealWorldCases() {
    }

    /** Kinds some rule the backstop expresses judges at CREATE. */
    private static final java.util.Set<String> JUDGED = java.util.Set.of("Pod", "Deployment", "StatefulSet",
            "ReplicaSet", "DaemonSet", "Job", "CronJob", "ReplicationController", "HorizontalPodAutoscaler");

    /**
     * Every workload in the real repositories' manifests (src/test/resources/realworld, from ../shared) as a CREATE:
     * once alone, and once with the HPAs its repository declares scaling their targets.
     */
    static List<Case> all() throws IOException {
        List<Case> out = new ArrayList<>();
        Path root = Path.of("src/test/resources/realworld");
        try (Stream<Path> repos = Files.list(root)) {
            for (Path repo : repos.filter(Files::isDirectory).sorted().toList()) {
                List<HasMetadata> objects = new ArrayList<>();
                try (Stream<Path> files = Files.walk(repo)) {
                    for (Path f : files.filter(f -> f.toString().matches(".*\\.ya?ml$")).sorted().toList()) {
                        objects.addAll(objects(f));
                    }
                }
                Map<String, String> hpas = new java.util.HashMap<>();
                objects.stream().filter(o -> o instanceof io.fabric8.kubernetes.api.model.autoscaling.v2
                        .HorizontalPodAutoscaler).map(o -> (io.fabric8.kubernetes.api.model.autoscaling.v2
                                .HorizontalPodAutoscaler) o).filter(h -> h.getSpec().getScaleTargetRef() != null)
                        .forEach(h -> hpas.merge((h.getMetadata().getNamespace() == null ? "team"
                                : h.getMetadata().getNamespace()) + "/" + h.getSpec().getScaleTargetRef().getKind() + "/"
                                + h.getSpec().getScaleTargetRef().getName(), h.getMetadata().getName(),
                                (a, b) -> String.join(",", new java.util.TreeSet<>(List.of((a + "," + b).split(","))))));
                for (HasMetadata o : objects) {
                    String what = root.relativize(repo) + " " + o.getKind() + " " + o.getMetadata().getName();
                    out.add(new Case(what, Admissions.create(o), Map.of()));
                    if (!hpas.isEmpty()) {
                        out.add(Case.scaled(what + " with its repository's HPAs", Admissions.create(o), hpas));
                    }
                }
            }
        }
        return out;
    }

    /** The judged objects in one file; documents that are no Kubernetes object (Helm templates, app config) skipped. */
    private static List<HasMetadata> objects(Path file) {
        List<HasMetadata> out = new ArrayList<>();
        try (var docs = new YAMLMapper().readerFor(com.fasterxml.jackson.databind.JsonNode.class)
                .<com.fasterxml.jackson.databind.JsonNode>readValues(file.toFile())) {
            while (docs.hasNext()) {
                var doc = docs.next();
                if (doc != null && JUDGED.contains(doc.path("kind").asText()) && doc.path("metadata").has("name")) {
                    out.add(io.fabric8.kubernetes.client.utils.Serialization.unmarshal(doc.toString(), HasMetadata.class));
                }
            }
        } catch (RuntimeException | IOException e) {
            // not YAML Kubernetes reads as objects: what check and scan say of it is their tests' business
        }
        return out;
    }
}

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

/**
 * The proof that the generated CEL says what the engine says: every shipped policy, turned into
 * ValidatingAdmissionPolicies, evaluated with cel-java (dev.cel:cel, standard CEL only, which Kubernetes' CEL
 * includes) on every recorded validating fixture and on the cases below, must deny, warn, audit or admit exactly as
 * the engine's imageReferences rule does. Any disagreement fails the build.
 */
class BackstopMatchesEngineTest {

    /** The rules the backstop expresses: those with a part in it. */
    private static final List<String> RULES = StandardRules.DEFAULT.rules().stream()
            .filter(r -> r instanceof dev.haguard.cel.CelBackstop).map(dev.haguard.engine.Rule::name).toList();

    /** What the engine said about one rule: its outcome as a binding action, and the words the webhook sends. */
    private record Said(String action, String words) {
    }

    /** The namespaces deploy/base/webhooks.yaml never sends to the validating webhook. */
    private static final List<String> UNSENT = unsent();

    private static List<String> unsent() {
        List<String> out = new ArrayList<>();
        DeployedWebhooks.named("validate.ha-guard.dev").path("namespaceSelector").path("matchExpressions").get(0)
                .path("values").forEach(v -> out.add(v.asText()));
        return out;
    }

    private static Optional<Said> engine(Case c, Policy policy, String ruleName) {
        if (UNSENT.contains(c.admission().namespace())) {
            return Optional.empty(); // the webhook is never asked
        }
        ClusterView cluster = new ClusterView() {
            @Override
            public Map<String, String> namespaceLabels(String namespace) {
                return c.namespaceLabels();
            }

            @Override
            public Optional<String> autoscaler(String namespace, String kind, String name) {
                return autoscalers(namespace, kind, name).stream().findFirst();
            }

            @Override
            public List<String> autoscalers(String namespace, String kind, String name) {
                String names = c.autoscaled().get(namespace + "/" + kind + "/" + name);
                return names == null ? List.of() : List.of(names.split(","));
            }
        };
        Decision d = StandardRules.DEFAULT.engine().decide(c.admission(), policy, Webhook.VALIDATE, cluster);
        RuleDecision rule = d.rules().stream().filter(r -> r.rule().equals(ruleName)).findFirst().orElseThrow();
        if (d.breakGlass()) {
            return Optional.empty(); // the backstop leaves break-glass users out entirely
        }
        String warning = d.warnings().stream().filter(w -> w.startsWith("ha-guard [" + ruleName + "]: ")).findFirst()
                .orElse(null);
        return switch (rule.outcome()) {
            case DENY -> Optional.of(new Said("Deny", d.message()));
            case WARN -> Optional.of(new Said("Warn", warning));
            case AUDIT -> Optional.of(new Said("Audit", null));
            default -> Optional.empty();
        };
    }

    /**
     * Whether the backstop's words are the webhook's: the same text where the webhook's denial is this rule's alone or
     * a warning; where other rules deny too, the webhook's text holds this rule's part. immutablePods and
     * immutableObjects list what changed at the depth CEL can compare (top-level keys) where the webhook gives full
     * paths: that list may differ, the rest may not.
     */
    static boolean sameWords(String rule, String webhook, String backstop) {
        if (webhook == null) {
            return true; // audited: the API server's audit log, no words to a user
        }
        String alone = alone(rule, webhook);
        if (CelPolicies.overLimit(alone)) { // the API server shows the static message: the rule's general form
            return backstop.endsWith(Backstop.CUT_SHORT) && (backstop.startsWith("ha-guard denied this request: ["
                    + rule + "] ") || backstop.startsWith("ha-guard [" + rule + "]: "));
        }
        if (rule.startsWith("immutable")) {
            String list = rule.equals("immutablePods") ? "in place \\([^)]*\\)"
                    : "this request changes .*?(?=( \\(removing|\\. Immutable))";
            return alone.replaceAll(list, "#").equals(backstop.replaceAll(list, "#"));
        }
        return alone.equals(backstop);
    }

    /** The webhook's denial as it would read had {@code rule} alone denied: "ha-guard denied X: [rule] ...". */
    private static String alone(String rule, String webhook) {
        int start = webhook.indexOf("[" + rule + "] ");
        if (!webhook.startsWith("ha-guard denied ") || start < 0) {
            return webhook;
        }
        Matcher next = Pattern.compile(" \\[[a-zA-Z]+\\] ").matcher(webhook);
        int end = next.find(start + rule.length() + 2) ? next.start() : webhook.length();
        return webhook.substring(0, webhook.indexOf(": [") + 2) + webhook.substring(start, end);
    }

    @Test
    void every_shipped_policy_says_in_cel_what_the_engine_says() throws Exception {
        List<String> disagreements = new ArrayList<>();
        int compared = 0;
        int violations = 0;
        int overLimit = 0;
        try (Stream<Path> files = Files.list(Path.of("policies"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                Policy policy = StandardRules.DEFAULT.parser().parse(file);
                CelPolicies cel = new CelPolicies(Backstop.of(policy, Backstop.NAMESPACE, dev.haguard.rules.StandardRules.DEFAULT.rules()).objects());
                for (Case c : BuiltCases.all()) {
                    Map<String, CelPolicies.Verdict> failed = c.evaluate(cel, policy);
                    for (String rule : RULES) {
                        Optional<Said> said = engine(c, policy, rule);
                        Optional<String> expected = said.map(Said::action);
                        Optional<CelPolicies.Verdict> actual = CelPolicies.only(failed.entrySet().stream()
                                .filter(e -> e.getKey().startsWith("ha-guard-" + rule.toLowerCase(java.util.Locale.ROOT)
                                        + "-")).collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
                                                Map.Entry::getValue)));
                        compared++;
                        if (expected.isPresent()) {
                            violations++;
                        }
                        if (said.map(Said::words).filter(w -> CelPolicies.overLimit(alone(rule, w))).isPresent()) {
                            overLimit++;
                        }
                        if (!expected.equals(actual.map(CelPolicies.Verdict::action))) {
                            disagreements.add(file.getFileName() + " / " + c.what() + " / " + rule + ": engine "
                                    + expected.orElse("admit") + ", CEL " + actual.map(v -> v.action() + " ("
                                    + v.message() + ")").orElse("admit"));
                        } else if (said.isPresent() && !sameWords(rule, said.get().words(), actual.get().message())) {
                            disagreements.add(file.getFileName() + " / " + c.what() + " / " + rule + ": other words\n"
                                    + "  webhook:  " + said.get().words() + "\n  backstop: " + actual.get().message());
                        }
                    }
                }
            }
        }
        System.out.printf("backstop vs engine: %d comparisons, %d violations (%d over the API server's 5 KiB for a "
                + "message), %d disagreements%n", compared, violations, overLimit, disagreements.size());
        assertThat(RULES).containsExactlyInAnyOrder("imageReferences", "minReplicas", "immutablePods",
                "immutableObjects", "readinessProbes");
        assertThat(violations).as("the cases exercise violations").isGreaterThan(200);
        assertThat(overLimit).as("the cases exercise the static message").isPositive();
        assertThat(disagreements).isEmpty();
    }

    @Test
    void the_backstop_leaves_out_the_namespaces_the_webhook_is_never_sent() {
        assertThat(Backstop.unsent(Backstop.NAMESPACE)).containsExactlyInAnyOrderElementsOf(UNSENT);
    }

    @Test
    void a_denial_names_the_image_and_the_fix() throws Exception {
        CelPolicies cel = new CelPolicies(Backstop.of(Policies.DEFAULT, Backstop.NAMESPACE, dev.haguard.rules.StandardRules.DEFAULT.rules()).objects());

        var verdicts = cel.evaluate(Admissions.create(BuiltCases.pod("shop", "nginx:latest")), Map.of());
        var verdict = CelPolicies.only(verdicts.entrySet().stream().filter(e -> e.getKey().startsWith(
                "ha-guard-imagereferences-")).collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
                        Map.Entry::getValue)));

        assertThat(verdict).hasValueSatisfying(v -> {
            assertThat(v.action()).isEqualTo("Deny");
            assertThat(v.message()).contains("imageReferences", "\"nginx:latest\"", "fix: use a fixed version tag");
        });
        assertThat(verdicts).as("a bare pod is told nothing re-creates it").hasEntrySatisfying(
                "ha-guard-minreplicas-kept-bare-pods-defaults", v -> assertThat(v.message()).contains("has no controller"));
        assertThat(Backstop.of(Policies.DEFAULT, Backstop.NAMESPACE, dev.haguard.rules.StandardRules.DEFAULT.rules()).notExpressed()).anySatisfy(n -> assertThat(n).contains("HPA"));
        var scaled = CelPolicies.only(cel.evaluate(Case.scale(3, 1), Map.of()));
        assertThat(scaled).hasValueSatisfying(v -> assertThat(v.message()).contains("minReplicas",
                "replicas is 1, below the minimum of 2", "kubectl scale deployment web -n shop --replicas=2"));
    }
}

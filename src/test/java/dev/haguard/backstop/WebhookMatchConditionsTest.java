package dev.haguard.backstop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haguard.Admissions;
import dev.haguard.DeployedWebhooks;
import dev.haguard.Fixtures;
import dev.haguard.cel.MatchConditions;
import dev.haguard.engine.Coverage;
import dev.haguard.engine.Decision;
import dev.haguard.engine.Finding;
import dev.haguard.engine.Rule;
import dev.haguard.engine.RuleContext;
import dev.haguard.engine.Outcome;
import dev.haguard.engine.RuleDecision;
import dev.haguard.engine.Webhook;
import dev.haguard.json.Json;
import dev.haguard.policy.Mode;
import dev.haguard.policy.Policy;
import dev.haguard.policy.RuleSettings;
import dev.haguard.policy.SimpleRuleConfig;
import dev.haguard.rules.StandardRules;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The webhooks' matchConditions, which the API server evaluates before it calls ha-guard, leave out only what no rule
 * judges: on every recorded request, every built case and the real repositories' workloads, under every shipped policy
 * and the strictest and the audit-everything one, a request they leave out gets from the engine on that webhook what
 * not calling gives: allowed, no patch, no warning, every rule passing or skipping (nothing for the audit trail to
 * hold but "skipped"). The conditions never fail to evaluate, and deploy/ carries exactly what the rules declare.
 */
class WebhookMatchConditionsTest {

    private static final Map<Webhook, String> HOOKS = Map.of(Webhook.MUTATE, "mutate.ha-guard.dev",
            Webhook.VALIDATE, "validate.ha-guard.dev");

    /** Every rule on, at its most demanding; and every rule at audit, whose findings a skipped call would lose. */
    private static final String STRICTEST = """
            version: 1
            defaults:
              topologySpread: {mode: enforce, injectInto: template, podAntiAffinity: true, whenUnsatisfiable: DoNotSchedule}
              minReplicas: {mode: enforce, minimum: 3, action: raise}
              imageReferences: {mode: enforce, requireDigest: true}
              readinessProbes: {mode: enforce}
              disruptionBudgets: {mode: enforce}
              backups: {mode: enforce, namespaces: all}
              databaseStorage: {mode: enforce}
            """;
    private static final String AUDIT_ALL = """
            version: 1
            defaults:
              topologySpread: {mode: audit, injectInto: template, podAntiAffinity: true}
              minReplicas: {mode: audit, minimum: 3}
              immutableObjects: {mode: audit}
              immutablePods: {mode: audit}
              imageReferences: {mode: audit, requireDigest: true}
              readinessProbes: {mode: audit}
              disruptionBudgets: {mode: audit}
              backups: {mode: audit, namespaces: all}
              databaseStorage: {mode: audit}
            """;

    @Test
    void deploy_carries_what_the_rules_declare() {
        Map<String, List<List<String>>> deployed = new LinkedHashMap<>();
        Map<String, List<List<String>>> derived = new LinkedHashMap<>();
        StringBuilder yaml = new StringBuilder();
        for (Webhook webhook : Webhook.values()) {
            List<MatchConditions.Skip> skips = MatchConditions.of(StandardRules.DEFAULT.rules(), webhook);
            yaml.append(HOOKS.get(webhook)).append(":\n    matchConditions:\n");
            skips.forEach(s -> {
                s.reasons().forEach(r -> yaml.append("      # ").append(r).append('\n'));
                yaml.append("      - name: ").append(s.condition().name()).append("\n        expression: >-\n          ")
                        .append(s.condition().expression()).append('\n');
            });
            deployed.put(HOOKS.get(webhook), deployed(webhook));
            derived.put(HOOKS.get(webhook), skips.stream().map(MatchConditions.Skip::condition)
                    .map(c -> List.of(c.name(), c.expression())).toList());
        }
        assertThat(deployed).as("matchConditions in deploy/base/webhooks.yaml; they should read:\n%s", yaml)
                .isEqualTo(derived);
        assertThat(DeployedWebhooks.named("immutable.ha-guard.dev").has("matchConditions")).isFalse();
    }

    @Test
    void what_the_conditions_leave_out_the_engine_admits_untouched() throws Exception {
        Map<String, Policy> policies = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(Path.of("policies"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                policies.put(f.toString(), StandardRules.DEFAULT.parser().parse(f));
            }
        }
        policies.put("strictest", StandardRules.DEFAULT.parser().parse(STRICTEST, "strictest"));
        policies.put("audit everything", StandardRules.DEFAULT.parser().parse(AUDIT_ALL, "audit everything"));

        Map<Webhook, Integer> skipped = new EnumMap<>(Webhook.class);
        Map<Webhook, Integer> sent = new EnumMap<>(Webhook.class);
        List<String> wrong = new ArrayList<>();
        for (Case c : cases()) {
            for (Webhook webhook : Webhook.values()) {
                if (called(webhook, c)) {
                    sent.merge(webhook, 1, Integer::sum);
                    continue;
                }
                skipped.merge(webhook, 1, Integer::sum);
                for (var policy : policies.entrySet()) {
                    Decision d = StandardRules.DEFAULT.engine().decide(c.admission(), policy.getValue(), webhook);
                    List<RuleDecision> acted = d.rules().stream()
                            .filter(r -> r.outcome() != Outcome.PASS && r.outcome() != Outcome.SKIP).toList();
                    if (!d.allowed() || d.hasPatch() || !d.warnings().isEmpty() || !acted.isEmpty()) {
                        wrong.add(webhook + " / " + c.what() + " / " + policy.getKey() + ": left out, but the engine "
                                + "answers " + d.result() + " " + d.warnings() + " " + acted);
                    }
                }
            }
        }
        System.out.printf("matchConditions: left out %s, sent %s%n", skipped, sent);
        assertThat(wrong).isEmpty();
        assertThat(skipped.get(Webhook.VALIDATE)).as("validating requests left out").isGreaterThan(10);
        assertThat(skipped.get(Webhook.MUTATE)).as("mutating requests left out").isGreaterThan(5);
    }

    /** A new rule that judges a controller's pods, and says nothing of what it leaves, takes their condition away. */
    @Test
    void a_rule_that_judges_what_others_leave_takes_the_condition_away() {
        Rule<SimpleRuleConfig> everyPod = new Rule<>() {
            @Override
            public RuleSettings<SimpleRuleConfig> settings() {
                return RuleSettings.of("everyPod", SimpleRuleConfig.class, new SimpleRuleConfig(Mode.WARN));
            }

            @Override
            public List<Coverage> coverage() {
                return List.of(new Coverage(Webhook.VALIDATE, "", "pods", Coverage.CREATE));
            }

            @Override
            public Finding evaluate(RuleContext context, SimpleRuleConfig config) {
                return Finding.notice("every pod");
            }
        };
        List<Rule<?>> rules = new ArrayList<>(StandardRules.DEFAULT.rules());
        assertThat(MatchConditions.of(rules, Webhook.VALIDATE)).anySatisfy(s -> assertThat(s.condition().name())
                .isEqualTo("pods-create-a-rule-judges"));
        rules.add(everyPod);
        assertThat(MatchConditions.of(rules, Webhook.VALIDATE)).noneSatisfy(s -> assertThat(s.condition().name())
                .startsWith("pods-"));
        assertThat(MatchConditions.of(rules, Webhook.MUTATE)).anySatisfy(s -> assertThat(s.condition().name())
                .startsWith("pods-"));
    }

    /** Per pod of a Deployment's rollout: the mutating call that spreads it stays, the rest is left to the API server. */
    @Test
    void a_deployments_rollout_costs_one_call_per_pod_and_none_per_replicaset_write() throws IOException {
        assertThat(called(Webhook.MUTATE, recorded("pod-create-from-replicaset.mutating.json"))).isTrue();
        assertThat(called(Webhook.VALIDATE, recorded("pod-create-from-replicaset.validating.json"))).isFalse();
        for (String rs : List.of("replicaset-create-by-deployment.validating.json",
                "replicaset-update-by-deployment-rollout.validating.json")) {
            assertThat(called(Webhook.VALIDATE, recorded(rs))).as(rs).isFalse();
            assertThat(called(Webhook.MUTATE, recorded(rs))).as(rs).isFalse();
        }
        assertThat(called(Webhook.MUTATE, recorded("pod-create-from-daemonset.mutating.json"))).isFalse();
        assertThat(called(Webhook.MUTATE, recorded("pod-create-bare.mutating.json"))).isTrue();
        assertThat(called(Webhook.VALIDATE, recorded("deployment-create.validating.json"))).isTrue();
        assertThat(called(Webhook.VALIDATE, recorded("pod-update-image-in-place.validating.json"))).isTrue();
    }

    /** Whether the API server calls {@code webhook} for this request: every deployed matchCondition holds. */
    private static boolean called(Webhook webhook, Case c) {
        JsonNode request = c.recorded() == null ? null : c.recorded().path("request");
        Map<String, Object> vars = CelPolicies.variables(c.admission(), c.namespaceLabels(),
                request == null ? tree(c.admission().object()) : request.get("object"),
                request == null ? tree(c.admission().oldObject()) : request.get("oldObject"));
        for (List<String> condition : deployed(webhook)) {
            Object holds = CelPolicies.eval(condition.get(1), vars, HOOKS.get(webhook) + " " + condition.get(0)
                    + " on " + c.what());
            assertThat(holds).as("%s on %s", condition.get(0), c.what()).isInstanceOf(Boolean.class);
            if (!(Boolean) holds) {
                return false;
            }
        }
        return true;
    }

    private static List<List<String>> deployed(Webhook webhook) {
        List<List<String>> out = new ArrayList<>();
        for (JsonNode c : DeployedWebhooks.named(HOOKS.get(webhook)).path("matchConditions")) {
            out.add(List.of(c.path("name").asText(), c.path("expression").asText().strip()));
        }
        return out;
    }

    private static List<Case> cases() throws IOException {
        List<Case> cases = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("src/test/resources/admission"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                cases.add(recorded(f.getFileName().toString()));
            }
        }
        cases.addAll(BuiltCases.all());
        cases.addAll(RealWorldCases.all());
        cases.addAll(owned());
        return cases;
    }

    private static Case recorded(String name) {
        return new Case(name, Fixtures.admission(name), Map.of(), Fixtures.review(name));
    }

    /**
     * Objects that controllers make, with everything the rules would find wrong in them (a :latest image, a database
     * on no volume, one replica, no labels), by each kind of controller and by none; and the cases right beside them
     * that must still be sent.
     */
    private static List<Case> owned() {
        List<Case> out = new ArrayList<>();
        Map<String, OwnerReference> owners = new LinkedHashMap<>();
        for (String kind : List.of("ReplicaSet", "ReplicationController", "StatefulSet", "DaemonSet", "Job",
                "Deployment", "CronJob", "Rollout", "Cluster")) {
            owners.put(kind, new OwnerReferenceBuilder().withApiVersion(kind.equals("Rollout") ? "argoproj.io/v1alpha1"
                    : "apps/v1").withKind(kind).withName("owner").withUid("u-" + kind).withController(true).build());
        }
        owners.put("no controller flag", new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("ReplicaSet")
                .withName("owner").withUid("u").build());
        owners.put("controller: false", new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("ReplicaSet")
                .withName("owner").withUid("u").withController(false).build());
        owners.put("none", null);
        for (var owner : owners.entrySet()) {
            for (String image : List.of("nginx:latest", "postgres:16")) {
                Pod pod = new PodBuilder().withNewMetadata().withName("p").withNamespace("shop")
                        .addToLabels("app", "web").endMetadata().withNewSpec().addNewContainer().withName("c")
                        .withImage(image).endContainer().endSpec().build();
                ReplicaSet rs = new ReplicaSetBuilder().withNewMetadata().withName("rs").withNamespace("shop")
                        .endMetadata().withNewSpec().withReplicas(1).withNewTemplate().withNewMetadata()
                        .addToLabels("app", "web").endMetadata().withSpec(pod.getSpec()).endTemplate().endSpec().build();
                Job job = new JobBuilder().withNewMetadata().withName("j").withNamespace("shop").endMetadata()
                        .withNewSpec().withNewTemplate().withSpec(pod.getSpec()).endTemplate().endSpec().build();
                for (HasMetadata o : List.<HasMetadata>of(pod, rs, job)) {
                    if (owner.getValue() != null) {
                        o.getMetadata().setOwnerReferences(List.of(owner.getValue()));
                    }
                    String what = o.getKind() + " " + image + " owned by " + owner.getKey();
                    out.add(new Case(what + " (create)", Admissions.create(o), Map.of()));
                    HasMetadata before = copy(o);
                    out.add(new Case(what + " (update)", Admissions.update(before, o), Map.of()));
                    HasMetadata marked = copy(o);
                    marked.getMetadata().setLabels(Map.of("haguard.dev/immutable", "true"));
                    HasMetadata changed = copy(marked);
                    changed.getMetadata().setAnnotations(Map.of("edited", "yes"));
                    out.add(new Case(what + " marked immutable (update)", Admissions.update(marked, changed), Map.of()));
                }
            }
        }
        Pod bound = new PodBuilder().withNewMetadata().withName("bound").withNamespace("shop").addToLabels("app", "w")
                .endMetadata().withNewSpec().withNodeName("node-a").addNewContainer().withName("c")
                .withImage("nginx:latest").endContainer().endSpec().build();
        out.add(new Case("bare pod bound to a node", Admissions.create(bound), Map.of()));
        Pod mirror = new PodBuilder(bound).editMetadata().withName("mirror").addToAnnotations(
                "kubernetes.io/config.mirror", "x").endMetadata().editSpec().withNodeName(null).endSpec().build();
        out.add(new Case("mirror pod", Admissions.create(mirror), Map.of()));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static <T extends HasMetadata> T copy(T o) {
        return (T) Json.MAPPER.convertValue(Json.tree(o), o.getClass());
    }

    private static JsonNode tree(Object o) {
        return o == null ? null : Json.tree(o);
    }
}

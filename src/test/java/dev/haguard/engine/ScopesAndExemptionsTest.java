package dev.haguard.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haguard.Admissions;
import dev.haguard.Policies;
import dev.haguard.rules.StandardRules;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScopesAndExemptionsTest {

    private static final String POLICY = """
            exemptions:
              namespaces: [kube-system, "legacy-*"]
              objectLabel: {namespaces: ["team-*"]}
              breakGlass: {users: [oncall@example.com], groups: [sre-breakglass]}
            defaults:
              minReplicas: {minimum: 2}
            overrides:
              - name: development
                match: {namespaces: ["dev-*", sandbox]}
                rules:
                  minReplicas: {mode: warn}
              - name: critical
                match: {namespaceLabels: {tier: critical}}
                rules:
                  minReplicas: {minimum: 3}
              - name: batch
                match: {objectLabels: {workload: batch}}
                rules:
                  minReplicas: {mode: off}
            """;

    private static Deployment deployment(String namespace, int replicas, Map<String, String> labels) {
        return new DeploymentBuilder().withNewMetadata().withName("web").withNamespace(namespace).withLabels(labels)
                .endMetadata().withNewSpec().withReplicas(replicas).withNewTemplate().withNewSpec().addNewContainer()
                .withName("web").withImage("nginx:1.27").endContainer().endSpec().endTemplate().endSpec().build();
    }

    private static Decision validate(Admission a, ClusterView cluster) {
        return StandardRules.DEFAULT.engine().decide(a, Policies.of(POLICY), Webhook.VALIDATE, cluster);
    }

    private static Decision validate(HasMetadata object) {
        return validate(Admissions.create(object), ClusterView.NONE);
    }

    /** Every namespace has {@code labels}; {@code autoscalers} maps "namespace/Kind/name" to an HPA's name. */
    private static ClusterView cluster(Map<String, String> labels, Map<String, String> autoscalers) {
        return new ClusterView() {
            @Override
            public Map<String, String> namespaceLabels(String namespace) {
                return labels;
            }

            @Override
            public Optional<String> autoscaler(String namespace, String kind, String name) {
                return Optional.ofNullable(autoscalers.get(namespace + "/" + kind + "/" + name));
            }
        };
    }

    @Test
    void the_first_matching_override_applies_and_unset_keys_inherit() {
        Decision dev = validate(deployment("dev-alice", 1, Map.of()));
        assertThat(dev.allowed()).isTrue();
        assertThat(dev.scope()).isEqualTo("development");
        assertThat(dev.warnings()).singleElement().asString().contains("warn mode", "minimum of 2");

        Decision prod = validate(deployment("shop", 1, Map.of()));
        assertThat(prod.allowed()).isFalse();
        assertThat(prod.scope()).isEqualTo("defaults");
    }

    @Test
    void namespace_labels_come_from_the_cluster_view() {
        Decision critical = validate(Admissions.create(deployment("payments", 2, Map.of())),
                cluster(Map.of("tier", "critical"), Map.of()));

        assertThat(critical.scope()).isEqualTo("critical");
        assertThat(critical.allowed()).isFalse();
        assertThat(critical.message()).contains("minimum of 3");
    }

    @Test
    void object_labels_select_an_override() {
        Decision batch = validate(deployment("shop", 1, Map.of("workload", "batch")));

        assertThat(batch.scope()).isEqualTo("batch");
        assertThat(batch.allowed()).isTrue();
    }

    @Test
    void exempt_namespaces_skip_every_rule_with_the_reason() {
        Decision d = validate(deployment("legacy-billing", 1, Map.of()));

        assertThat(d.allowed()).isTrue();
        assertThat(d.rules()).allSatisfy(r -> {
            if (!r.rule().equals("policyDocument")) {
                assertThat(r.outcome()).isEqualTo(Outcome.SKIP);
                assertThat(r.message()).isEqualTo("namespace legacy-billing is exempt in the policy");
            }
        });
    }

    @Test
    void the_exempt_label_is_honoured_only_where_the_policy_allows_it() {
        Map<String, String> exempt = Map.of("haguard.dev/exempt", "true");

        assertThat(validate(deployment("team-a", 1, exempt)).allowed()).isTrue();
        assertThat(validate(deployment("shop", 1, exempt)).allowed()).isFalse();
    }

    @Test
    void adding_the_exempt_label_does_not_exempt_that_same_update() {
        Admission adding = Admissions.update(deployment("team-a", 3, Map.of()),
                deployment("team-a", 1, Map.of("haguard.dev/exempt", "true")));

        assertThat(validate(adding, ClusterView.NONE).allowed()).isFalse();
    }

    @Test
    void break_glass_is_admitted_but_judged_and_recorded() {
        Admission base = Admissions.create(deployment("shop", 1, Map.of()));
        Admission oncall = new Admission(base.uid(), base.operation(), base.type(), base.namespace(), base.name(), false,
                new Admission.User("oncall@example.com", java.util.List.of("system:authenticated")), base.object(),
                base.oldObject());

        Decision d = validate(oncall, ClusterView.NONE);

        assertThat(d.allowed()).isTrue();
        assertThat(d.breakGlass()).isTrue();
        assertThat(Policies.rule(d, "minReplicas").outcome()).isEqualTo(Outcome.DENY);
        assertThat(d.warnings().get(0)).contains("break-glass", "oncall@example.com", "spec.replicas is 1");
    }

    @Test
    void a_workload_sized_by_an_autoscaler_is_not_judged_on_its_own_replicas() {
        ClusterView hpa = cluster(Map.of(), Map.of("shop/Deployment/web", "web-hpa"));

        Decision d = validate(Admissions.create(deployment("shop", 1, Map.of())), hpa);

        assertThat(d.allowed()).isTrue();
        assertThat(Policies.rule(d, "minReplicas").message()).contains("HorizontalPodAutoscaler web-hpa");
    }
}

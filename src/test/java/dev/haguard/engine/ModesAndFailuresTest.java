package dev.haguard.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haguard.Admissions;
import dev.haguard.Policies;
import dev.haguard.TestRules;
import dev.haguard.rules.StandardRules;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModesAndFailuresTest {

    private static final HasMetadata ONE_REPLICA = new DeploymentBuilder().withNewMetadata().withName("web")
            .withNamespace("shop").endMetadata().withNewSpec().withReplicas(1).withNewTemplate().withNewSpec()
            .addNewContainer().withName("web").withImage("nginx:1.27").endContainer().endSpec().endTemplate().endSpec()
            .build();

    @Test
    void warn_mode_admits_and_tells_kubectl() {
        Decision d = Policies.run(Admissions.create(ONE_REPLICA), Policies.of("defaults: {minReplicas: {mode: warn}}"),
                Webhook.VALIDATE);

        assertThat(d.allowed()).isTrue();
        assertThat(d.warnings()).singleElement().asString().startsWith("ha-guard [minReplicas]: (warn mode)")
                .contains("spec.replicas is 1");
        assertThat(Policies.rule(d, "minReplicas").outcome()).isEqualTo(Outcome.WARN);
    }

    @Test
    void audit_mode_admits_silently_and_records_the_finding() {
        Decision d = Policies.run(Admissions.create(ONE_REPLICA), Policies.of("defaults: {minReplicas: {mode: audit}}"),
                Webhook.VALIDATE);

        assertThat(d.allowed()).isTrue();
        assertThat(d.warnings()).isEmpty();
        assertThat(Policies.rule(d, "minReplicas").outcome()).isEqualTo(Outcome.AUDIT);
        assertThat(Policies.rule(d, "minReplicas").message()).contains("spec.replicas is 1");
    }

    @Test
    void off_mode_does_not_evaluate_the_rule() {
        Decision d = Policies.run(Admissions.create(ONE_REPLICA), Policies.of("defaults: {minReplicas: {mode: off}}"),
                Webhook.VALIDATE);

        assertThat(d.allowed()).isTrue();
        assertThat(Policies.rule(d, "minReplicas").outcome()).isEqualTo(Outcome.SKIP);
    }

    @Test
    void kinds_no_rule_covers_are_admitted_without_a_patch() {
        var service = new io.fabric8.kubernetes.api.model.ServiceBuilder().withNewMetadata().withName("web")
                .withNamespace("shop").endMetadata().build();

        for (Webhook webhook : Webhook.values()) {
            Decision d = Policies.run(Admissions.create(service), Policies.DEFAULT, webhook);
            assertThat(d.allowed()).isTrue();
            assertThat(d.patch()).isEmpty();
            assertThat(d.warnings()).isEmpty();
            assertThat(d.rules()).allMatch(r -> r.outcome() == Outcome.SKIP);
        }
    }

    @Test
    void dry_run_is_judged_exactly_like_a_real_request() {
        Admission real = Admissions.create(ONE_REPLICA);
        Admission dry = new Admission(real.uid(), real.operation(), real.type(), real.namespace(), real.name(), true,
                real.user(), real.object(), real.oldObject());

        assertThat(Policies.validate(dry)).isEqualTo(Policies.validate(real));
    }

    @Test
    void a_failing_rule_is_admitted_with_a_warning_when_on_error_is_allow() {
        AdmissionEngine engine = withFailingRule();
        Admission pod = Admissions.create(new PodBuilder().withNewMetadata().withName("p").addToLabels("app", "p")
                .endMetadata().withNewSpec().addNewContainer().withName("c").withImage("nginx:1.27").endContainer()
                .endSpec().build());

        Decision d = engine.decide(pod, Policies.of("onError: allow"), Webhook.MUTATE);

        assertThat(d.allowed()).isTrue();
        assertThat(d.warnings()).anySatisfy(w -> assertThat(w).contains("could not evaluate rule exploding", "admitted"));
        assertThat(d.patch()).as("no patch from a run in which a rule failed").isEmpty();
        assertThat(Policies.rule(d, "exploding").outcome()).isEqualTo(Outcome.ERROR);
    }

    @Test
    void a_failing_rule_denies_when_on_error_is_deny() {
        Admission cm = Admissions.create(new ConfigMapBuilder().withNewMetadata().withName("c").endMetadata().build());

        Decision d = withFailingRule().decide(cm, Policies.of("onError: deny"), Webhook.VALIDATE);

        assertThat(d.allowed()).isFalse();
        assertThat(d.message()).contains("could not evaluate rule exploding", "denied", "onError is deny");
    }

    private static AdmissionEngine withFailingRule() {
        List<Rule<?>> rules = new ArrayList<>(StandardRules.DEFAULT.rules());
        rules.add(TestRules.everyWrite("exploding", context -> {
            throw new IllegalStateException("boom");
        }));
        return new AdmissionEngine(rules);
    }
}

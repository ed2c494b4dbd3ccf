package dev.haguard.rules.readinessprobes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haguard.Admissions;
import dev.haguard.Policies;
import dev.haguard.engine.Admission;
import dev.haguard.engine.ClusterView;
import dev.haguard.engine.Decision;
import dev.haguard.engine.Outcome;
import dev.haguard.engine.RuleDecision;
import dev.haguard.engine.Webhook;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReadinessProbesRuleTest {

    private static Container web(boolean probed) {
        ContainerBuilder c = new ContainerBuilder().withName("web").withImage("nginx:1.27").addNewPort()
                .withContainerPort(8080).endPort();
        return (probed ? c.withNewReadinessProbe().withNewHttpGet().withPath("/ready").withNewPort(8080).endHttpGet()
                .endReadinessProbe() : c).build();
    }

    private static HasMetadata deployment(int replicas, List<Container> init, Container... containers) {
        return new DeploymentBuilder().withNewMetadata().withName("web").withNamespace("shop").endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", "web").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata().withNewSpec()
                .withInitContainers(init).withContainers(containers).endSpec().endTemplate().endSpec().build();
    }

    private static RuleDecision judged(Admission admission, String policy, ClusterView cluster) {
        Decision d = Policies.run(admission, Policies.of(policy), Webhook.VALIDATE, cluster);
        return Policies.rule(d, "readinessProbes");
    }

    private static RuleDecision judged(Admission admission) {
        return judged(admission, "", ClusterView.NONE);
    }

    @Test
    void warns_by_default_about_replicated_containers_without_a_probe_with_a_fix_on_their_port() {
        RuleDecision r = judged(Admissions.create(deployment(3, List.of(), web(false))));

        assertThat(r.outcome()).isEqualTo(Outcome.WARN);
        assertThat(r.message()).contains("runs 3 replicas", "container web has no readinessProbe",
                "rolling update sends traffic to pods before they can answer", "port: 8080");
    }

    @Test
    void denies_in_enforce_mode_naming_the_object_and_rule() {
        Decision d = Policies.run(Admissions.create(deployment(2, List.of(), web(false))),
                Policies.of("defaults: {readinessProbes: {mode: enforce}}"), Webhook.VALIDATE, ClusterView.NONE);

        assertThat(d.allowed()).isFalse();
        assertThat(d.message()).contains("Deployment shop/web", "[readinessProbes]", "Fix: add a readinessProbe");
    }

    @Test
    void passes_when_every_serving_container_has_a_probe() {
        assertThat(judged(Admissions.create(deployment(3, List.of(), web(true)))).outcome()).isEqualTo(Outcome.PASS);
    }

    @Test
    void a_single_replica_has_no_rollout_hand_over_to_protect() {
        assertThat(judged(Admissions.create(deployment(1, List.of(), web(false)))).outcome()).isEqualTo(Outcome.SKIP);
    }

    @Test
    void an_autoscaled_workload_is_judged_whatever_its_replicas_say() {
        ClusterView hpa = new ClusterView() {
            @Override
            public Map<String, String> namespaceLabels(String namespace) {
                return Map.of();
            }

            @Override
            public Optional<String> autoscaler(String namespace, String kind, String name) {
                return Optional.of("web-hpa");
            }
        };

        RuleDecision r = judged(Admissions.create(deployment(1, List.of(), web(false))), "", hpa);

        assertThat(r.outcome()).isEqualTo(Outcome.WARN);
        assertThat(r.message()).contains("HorizontalPodAutoscaler web-hpa");
    }

    @Test
    void sidecars_are_judged_and_plain_init_containers_are_not() {
        Container migrate = new ContainerBuilder().withName("migrate").withImage("tool:1").build();
        Container proxy = new ContainerBuilder().withName("proxy").withImage("envoy:1.30").withRestartPolicy("Always")
                .build();

        RuleDecision onlyInit = judged(Admissions.create(deployment(3, List.of(migrate), web(true))));
        RuleDecision sidecar = judged(Admissions.create(deployment(3, List.of(migrate, proxy), web(true))));

        assertThat(onlyInit.outcome()).isEqualTo(Outcome.PASS);
        assertThat(sidecar.outcome()).isEqualTo(Outcome.WARN);
        assertThat(sidecar.message()).contains("container proxy has", "it exposes no port: e.g. readinessProbe: {exec")
                .doesNotContain("migrate");
    }

    @Test
    void an_update_that_leaves_missing_probes_as_they_were_is_admitted_with_a_notice() {
        Admission update = Admissions.update(deployment(3, List.of(), web(false)), deployment(4, List.of(), web(false)));

        RuleDecision r = judged(update, "defaults: {readinessProbes: {mode: enforce}}", ClusterView.NONE);

        assertThat(r.outcome()).isEqualTo(Outcome.WARN);
        assertThat(r.message()).contains("unchanged by this request");
    }

    @Test
    void statefulsets_are_judged_too() {
        HasMetadata db = new StatefulSetBuilder().withNewMetadata().withName("db").withNamespace("shop").endMetadata()
                .withNewSpec().withReplicas(3).withNewTemplate().withNewSpec().addNewContainer().withName("db")
                .withImage("postgres:17").endContainer().endSpec().endTemplate().endSpec().build();

        assertThat(judged(Admissions.create(db)).outcome()).isEqualTo(Outcome.WARN);
    }
}

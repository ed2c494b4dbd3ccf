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
        assertThat(r.message()).contains("runs 3 replicas", "none of its containers (web) has a readinessProbe",
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
    void sidecars_serve_and_plain_init_containers_do_not() {
        Container migrate = new ContainerBuilder().withName("migrate").withImage("tool:1").build();
        Container proxy = new ContainerBuilder().withName("proxy").withImage("envoy:1.30").withRestartPolicy("Always")
                .build();

        RuleDecision unprobed = judged(Admissions.create(deployment(3, List.of(migrate, proxy), web(false))));
        RuleDecision probedApp = judged(Admissions.create(deployment(3, List.of(migrate, proxy), web(true))));

        assertThat(unprobed.outcome()).isEqualTo(Outcome.WARN);
        assertThat(unprobed.message()).contains("none of its containers (proxy, web)", "container web (e.g. "
                + "readinessProbe: {httpGet: {path: <health path>, port: 8080}}").doesNotContain("migrate");
        assertThat(probedApp.outcome()).as("one probe gates the pod's readiness").isEqualTo(Outcome.PASS);
    }

    /** The kubernetes/website MySQL StatefulSet: xtrabackup's port 3307 is an ncat listener that starts a backup. */
    private static Container xtrabackup() {
        return new ContainerBuilder().withName("xtrabackup").withImage("gcr.io/google-samples/xtrabackup:1.0")
                .withCommand("bash", "-c", "set -ex\nexec ncat --listen --keep-open --send-only --max-conns=1 3307 -c "
                        + "\"xtrabackup --backup --slave-info --stream=xbstream --host=127.0.0.1 --user=root\"")
                .addNewPort().withName("xtrabackup").withContainerPort(3307).endPort().build();
    }

    @Test
    void a_probe_on_the_serving_container_is_enough_and_no_sidecar_is_asked_for_one() {
        Container mysql = new ContainerBuilder().withName("mysql").withImage("mysql:5.7").addNewPort()
                .withContainerPort(3306).endPort().withNewReadinessProbe().withNewExec()
                .withCommand("mysql", "-h", "127.0.0.1", "-e", "SELECT 1").endExec().endReadinessProbe().build();

        assertThat(judged(Admissions.create(deployment(3, List.of(), mysql, xtrabackup()))).outcome())
                .isEqualTo(Outcome.PASS);
    }

    @Test
    void a_port_a_shell_script_listens_on_is_never_suggested_for_a_probe() {
        RuleDecision withApp = judged(Admissions.create(deployment(3, List.of(), xtrabackup(), web(false))));
        RuleDecision alone = judged(Admissions.create(deployment(3, List.of(), xtrabackup())));

        assertThat(withApp.message()).contains("container web (e.g. readinessProbe: {httpGet").doesNotContain("3307");
        assertThat(alone.message()).contains("container xtrabackup (its command is a shell script",
                "readinessProbe: {exec:").doesNotContain("tcpSocket on port 3307");
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

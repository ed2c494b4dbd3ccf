package dev.haguard.rules.topologyspread;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haguard.Admissions;
import dev.haguard.Policies;
import dev.haguard.engine.Admission;
import dev.haguard.engine.ClusterView;
import dev.haguard.engine.Decision;
import dev.haguard.engine.Outcome;
import dev.haguard.engine.Webhook;
import dev.haguard.json.Json;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TopologySpreadRuleTest {

    private static PodBuilder pod(Map<String, String> labels) {
        return new PodBuilder().withNewMetadata().withName("web-1").withNamespace("shop").withLabels(labels).endMetadata()
                .withNewSpec().addNewContainer().withName("web").withImage("nginx:1.27").endContainer().endSpec();
    }

    private static JsonNode constraints(Admission a, Decision d) {
        return Policies.applied(a, d).path("spec").path("topologySpreadConstraints");
    }

    @Test
    void adds_hostname_and_zone_constraints_selecting_siblings_of_a_replicaset_pod() {
        Admission a = Admissions.create(pod(Map.of("app", "web", "pod-template-hash", "abc12")).editMetadata()
                .addNewOwnerReference().withKind("ReplicaSet").withName("web-abc12").withController(true).endOwnerReference()
                .endMetadata().build());

        Decision d = Policies.mutate(a);

        JsonNode c = constraints(a, d);
        assertThat(c.findValuesAsText("topologyKey")).containsExactly("kubernetes.io/hostname", "topology.kubernetes.io/zone");
        for (JsonNode each : c) {
            assertThat(each.path("labelSelector").path("matchLabels").toString()).isEqualTo("{\"app\":\"web\"}");
            assertThat(each.path("matchLabelKeys").toString()).isEqualTo("[\"pod-template-hash\"]");
            assertThat(each.path("maxSkew").asInt()).isEqualTo(1);
            assertThat(each.path("whenUnsatisfiable").asText()).isEqualTo("ScheduleAnyway");
        }
        assertThat(d.patchedPaths()).containsExactly("/spec/topologySpreadConstraints");
    }

    @Test
    void do_not_schedule_becomes_schedule_anyway_on_a_key_that_schedulable_nodes_lack_and_says_so() {
        ClusterView noZones = new ClusterView() {
            @Override
            public Optional<Nodes> nodesWithout(String key) {
                return Optional.of(new Nodes(3, key.equals("topology.kubernetes.io/zone") ? 3 : 0));
            }
        };
        var strict = Policies.of("defaults: {topologySpread: {whenUnsatisfiable: DoNotSchedule}}");
        Admission a = Admissions.create(pod(Map.of("app", "web")).build());

        Decision d = Policies.run(a, strict, Webhook.MUTATE, noZones);
        Decision offline = Policies.run(a, strict, Webhook.MUTATE);
        Admission again = a.withObject(Json.typed(Policies.applied(a, d), Pod.class));

        JsonNode c = constraints(a, d);
        assertThat(c.get(0).path("topologyKey").asText()).isEqualTo("kubernetes.io/hostname");
        assertThat(c.get(0).path("whenUnsatisfiable").asText()).isEqualTo("DoNotSchedule");
        assertThat(c.get(1).path("topologyKey").asText()).isEqualTo("topology.kubernetes.io/zone");
        assertThat(c.get(1).path("whenUnsatisfiable").asText()).isEqualTo("ScheduleAnyway");
        assertThat(d.warnings()).anySatisfy(w -> assertThat(w).contains("topology.kubernetes.io/zone with ScheduleAnyway "
                + "instead of DoNotSchedule, because 3 of 3 schedulable nodes have no topology.kubernetes.io/zone label"));
        assertThat(Policies.rule(d, "topologySpread").facts()).containsEntry(dev.haguard.engine.Finding.RELAXED,
                "topology.kubernetes.io/zone");
        assertThat(Policies.run(again, strict, Webhook.MUTATE, noZones).hasPatch()).as("idempotent").isFalse();
        assertThat(constraints(a, offline).findValuesAsText("whenUnsatisfiable")).as("nodes unknown: as the policy says")
                .containsExactly("DoNotSchedule", "DoNotSchedule");
    }

    @Test
    void statefulset_pod_selector_leaves_out_per_pod_labels() {
        Admission a = Admissions.create(pod(Map.of("app", "db", "tier", "data", "controller-revision-hash", "db-1",
                "statefulset.kubernetes.io/pod-name", "db-0", "apps.kubernetes.io/pod-index", "0")).build());

        JsonNode c = constraints(a, Policies.mutate(a));

        assertThat(c.get(0).path("labelSelector").path("matchLabels").toString())
                .isEqualTo("{\"app\":\"db\",\"tier\":\"data\"}");
        assertThat(c.get(0).has("matchLabelKeys")).isFalse();
    }

    @Test
    void keeps_the_users_own_constraint_and_adds_only_the_missing_key() {
        Pod own = pod(Map.of("app", "web")).editSpec().addNewTopologySpreadConstraint().withMaxSkew(3)
                .withTopologyKey("kubernetes.io/hostname").withWhenUnsatisfiable("DoNotSchedule")
                .withNewLabelSelector().addToMatchLabels("app", "web").endLabelSelector().endTopologySpreadConstraint()
                .endSpec().build();
        Admission a = Admissions.create(own);

        JsonNode c = constraints(a, Policies.mutate(a));

        assertThat(c).hasSize(2);
        assertThat(c.get(0).path("maxSkew").asInt()).isEqualTo(3);
        assertThat(c.get(0).path("whenUnsatisfiable").asText()).isEqualTo("DoNotSchedule");
        assertThat(c.get(1).path("topologyKey").asText()).isEqualTo("topology.kubernetes.io/zone");
    }

    @Test
    void skips_daemonset_bound_mirror_and_unlabelled_pods_with_a_reason() {
        List<Pod> pods = List.of(
                pod(Map.of("app", "agent")).editMetadata().addNewOwnerReference().withKind("DaemonSet").withName("agent")
                        .withController(true).endOwnerReference().endMetadata().build(),
                pod(Map.of("app", "web")).editSpec().withNodeName("node-a").endSpec().build(),
                pod(Map.of("app", "etcd")).editMetadata().addToAnnotations("kubernetes.io/config.mirror", "x").endMetadata().build(),
                pod(Map.of()).build(),
                pod(Map.of("statefulset.kubernetes.io/pod-name", "x-0")).build());
        for (Pod p : pods) {
            Decision d = Policies.mutate(Admissions.create(p));
            assertThat(d.patch()).isEmpty();
            assertThat(Policies.rule(d, "topologySpread").outcome()).isEqualTo(Outcome.SKIP);
            assertThat(Policies.rule(d, "topologySpread").message()).isNotBlank();
        }
    }

    @Test
    void uses_the_policy_keys_skew_and_anti_affinity() {
        Admission a = Admissions.create(pod(Map.of("app", "web")).build());
        var policy = Policies.of("""
                defaults:
                  topologySpread: {topologyKeys: [topology.kubernetes.io/region], maxSkew: 2,
                                   whenUnsatisfiable: DoNotSchedule, podAntiAffinity: true}
                """);

        Decision d = Policies.run(a, policy, Webhook.MUTATE);

        JsonNode spec = Policies.applied(a, d).path("spec");
        assertThat(spec.path("topologySpreadConstraints").findValuesAsText("topologyKey"))
                .containsExactly("topology.kubernetes.io/region");
        assertThat(spec.path("topologySpreadConstraints").get(0).path("maxSkew").asInt()).isEqualTo(2);
        JsonNode preferred = spec.path("affinity").path("podAntiAffinity").path("preferredDuringSchedulingIgnoredDuringExecution");
        assertThat(preferred.get(0).path("podAffinityTerm").path("topologyKey").asText()).isEqualTo("kubernetes.io/hostname");
    }

    @Test
    void never_replaces_a_pod_anti_affinity_the_user_wrote() {
        Pod own = pod(Map.of("app", "web")).editSpec().withNewAffinity().withNewPodAntiAffinity()
                .addNewRequiredDuringSchedulingIgnoredDuringExecution().withTopologyKey("topology.kubernetes.io/zone")
                .endRequiredDuringSchedulingIgnoredDuringExecution().endPodAntiAffinity().endAffinity().endSpec().build();
        Admission a = Admissions.create(own);

        Decision d = Policies.run(a, Policies.of("defaults: {topologySpread: {podAntiAffinity: true}}"), Webhook.MUTATE);

        JsonNode anti = Policies.applied(a, d).path("spec").path("affinity").path("podAntiAffinity");
        assertThat(anti.has("preferredDuringSchedulingIgnoredDuringExecution")).isFalse();
        assertThat(anti.path("requiredDuringSchedulingIgnoredDuringExecution")).hasSize(1);
    }

    @Test
    void template_mode_injects_into_a_new_deployment_template_with_the_revision_hash_key() {
        Deployment dep = new DeploymentBuilder().withNewMetadata().withName("web").withNamespace("shop").endMetadata()
                .withNewSpec().withReplicas(3).withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
                .withNewSpec().addNewContainer().withName("web").withImage("nginx:1.27").endContainer().endSpec()
                .endTemplate().endSpec().build();
        var policy = Policies.of("defaults: {topologySpread: {injectInto: template}}");
        Admission create = Admissions.create(dep);

        Decision d = Policies.run(create, policy, Webhook.MUTATE);

        JsonNode c = Policies.applied(create, d).path("spec").path("template").path("spec").path("topologySpreadConstraints");
        assertThat(c.findValuesAsText("topologyKey")).containsExactly("kubernetes.io/hostname", "topology.kubernetes.io/zone");
        assertThat(c.get(0).path("matchLabelKeys").toString()).isEqualTo("[\"pod-template-hash\"]");

        Deployment scaled = new DeploymentBuilder(dep).editSpec().withReplicas(4).endSpec().build();
        Decision update = Policies.run(Admissions.update(dep, scaled), policy, Webhook.MUTATE);
        assertThat(update.patch()).as("an unchanged template is not touched: that would start a rollout").isEmpty();
    }

    @Test
    void warn_mode_reports_the_missing_spread_without_patching() {
        Admission a = Admissions.create(pod(Map.of("app", "web")).build());

        Decision d = Policies.run(a, Policies.of("defaults: {topologySpread: {mode: warn}}"), Webhook.MUTATE);

        assertThat(d.patch()).isEmpty();
        assertThat(d.warnings()).singleElement().asString().contains("warn mode").contains("kubernetes.io/hostname");
    }

    /** kubernetes/website's ZooKeeper StatefulSet: pods labelled app.kubernetes.io/name: zk, anti-affinity on app In (zk). */
    private static io.fabric8.kubernetes.api.model.apps.StatefulSet zookeeper(String antiAffinityKey) {
        return new io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder().withNewMetadata().withName("zk")
                .withNamespace("shop").endMetadata().withNewSpec().withReplicas(3).withNewTemplate().withNewMetadata()
                .addToLabels("app.kubernetes.io/name", "zk").endMetadata().withNewSpec().withNewAffinity()
                .withNewPodAntiAffinity().addNewRequiredDuringSchedulingIgnoredDuringExecution().withNewLabelSelector()
                .addNewMatchExpression().withKey(antiAffinityKey).withOperator("In").withValues("zk").endMatchExpression()
                .endLabelSelector().withTopologyKey("kubernetes.io/hostname").endRequiredDuringSchedulingIgnoredDuringExecution()
                .endPodAntiAffinity().endAffinity().addNewContainer().withName("zk").withImage("zookeeper:3.9")
                .endContainer().endSpec().endTemplate().endSpec().build();
    }

    @Test
    void anti_affinity_that_selects_none_of_the_workloads_own_pods_is_named_with_the_selector_that_would() {
        var decision = Policies.validate(Admissions.create(zookeeper("app")));
        var fixed = Policies.validate(Admissions.create(zookeeper("app.kubernetes.io/name")));

        assertThat(decision.allowed()).as("a warning, not a denial").isTrue();
        assertThat(Policies.rule(decision, "topologySpread").message()).contains("podAntiAffinity required term 0 on "
                + "kubernetes.io/hostname selects app In (zk), which none of its pods' labels "
                + "{app.kubernetes.io/name: zk} match", "keeps no two of its replicas apart",
                "labelSelector: {matchLabels: {app.kubernetes.io/name: zk}}");
        assertThat(Policies.rule(fixed, "topologySpread").outcome()).isEqualTo(dev.haguard.engine.Outcome.PASS);
    }

    @Test
    void a_spread_constraint_on_other_pods_is_named_and_anti_affinity_towards_others_is_left_alone_when_own_pods_are_spread() {
        var spread = new io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder(zookeeper("app")).editSpec()
                .editTemplate().editSpec().addNewTopologySpreadConstraint().withMaxSkew(1)
                .withTopologyKey("topology.kubernetes.io/zone").withWhenUnsatisfiable("DoNotSchedule")
                .withNewLabelSelector().addToMatchLabels("app.kubernetes.io/name", "zk").endLabelSelector()
                .endTopologySpreadConstraint().endSpec().endTemplate().endSpec().build();
        var wrongSpread = new io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder(spread).editSpec().editTemplate()
                .editSpec().editFirstTopologySpreadConstraint().withNewLabelSelector().addToMatchLabels("app", "zk")
                .endLabelSelector().endTopologySpreadConstraint().endSpec().endTemplate().endSpec().build();

        assertThat(Policies.rule(Policies.validate(Admissions.create(spread)), "topologySpread").outcome())
                .as("its own pods are spread; the anti-affinity may keep them from others").isEqualTo(
                        dev.haguard.engine.Outcome.PASS);
        assertThat(Policies.rule(Policies.validate(Admissions.create(wrongSpread)), "topologySpread").message())
                .contains("topologySpreadConstraints[0] on topology.kubernetes.io/zone selects app=zk",
                        "podAntiAffinity required term 0");
    }
}

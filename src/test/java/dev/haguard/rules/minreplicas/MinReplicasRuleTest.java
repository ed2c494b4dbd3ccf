package dev.haguard.rules.minreplicas;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haguard.Admissions;
import dev.haguard.Fixtures;
import dev.haguard.Policies;
import dev.haguard.engine.Admission;
import dev.haguard.engine.Decision;
import dev.haguard.engine.Operation;
import dev.haguard.engine.Outcome;
import dev.haguard.engine.Webhook;
import dev.haguard.policy.Policy;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.ReplicationControllerBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.api.model.autoscaling.v1.ScaleBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import org.junit.jupiter.api.Test;

class MinReplicasRuleTest {

    private static Deployment deployment(Integer replicas) {
        return new DeploymentBuilder().withNewMetadata().withName("web").withNamespace("shop").endMetadata()
                .withNewSpec().withReplicas(replicas).withNewTemplate().withNewMetadata().addToLabels("app", "web")
                .endMetadata().withNewSpec().addNewContainer().withName("web").withImage("nginx:1.27").endContainer()
                .endSpec().endTemplate().endSpec().build();
    }

    private static ReplicaSet replicaSet(int replicas, String ownerKind) {
        ReplicaSetBuilder b = new ReplicaSetBuilder().withNewMetadata().withName("web-abc").withNamespace("shop").endMetadata()
                .withNewSpec().withReplicas(replicas).withNewTemplate().withNewSpec().addNewContainer().withName("web")
                .withImage("nginx:1.27").endContainer().endSpec().endTemplate().endSpec();
        if (ownerKind != null) {
            b.editMetadata().addNewOwnerReference().withKind(ownerKind).withName("web").withController(true)
                    .endOwnerReference().endMetadata();
        }
        return b.build();
    }

    private static Scale scale(int replicas) {
        return new ScaleBuilder().withNewMetadata().withName("web").withNamespace("shop").endMetadata()
                .withNewSpec().withReplicas(replicas).endSpec().build();
    }

    private static Admission scaleUpdate(int from, int to) {
        Admission raw = Admissions.of(Operation.UPDATE, scale(to), scale(from), "scale");
        return new Admission(raw.uid(), raw.operation(), new Admission.Target("apps", "v1", "Scale", "deployments", "scale"),
                "shop", "web", false, raw.user(), raw.object(), raw.oldObject());
    }

    @Test
    void the_reason_is_true_for_the_count_found_and_names_the_override_that_set_the_minimum() {
        Policy strict = Policies.of("""
                overrides:
                  - name: production
                    match: {namespaces: [shop]}
                    rules: {minReplicas: {minimum: 3}}
                """);

        Decision two = Policies.run(Admissions.create(deployment(2)), strict, Webhook.VALIDATE);
        Decision one = Policies.validate(Admissions.create(deployment(1)));

        assertThat(two.message()).contains("spec.replicas is 2, below the minimum of 3 (policy override \"production\"), "
                + "so 2 pods failing at once (a node lost during a drain or a rollout) is an outage")
                .doesNotContain("one pod's failure");
        assertThat(one.message()).contains("spec.replicas is 1, below the minimum of 2 (policy defaults), so one pod's "
                + "failure is an outage");
        assertThat(MinReplicasWords.consequence(0)).isEqualTo("so no pod runs at all");
    }

    @Test
    void denies_a_replication_controller_below_the_minimum_and_its_scale() {
        ReplicationController rc = new ReplicationControllerBuilder().withNewMetadata().withName("redis-master")
                .withNamespace("shop").endMetadata().withNewSpec().withReplicas(1).withNewTemplate().withNewSpec()
                .addNewContainer().withName("web").withImage("nginx:1.27").endContainer().endSpec()
                .endTemplate().endSpec().build();
        Admission raw = Admissions.of(Operation.UPDATE, scale(1), scale(2), "scale");
        Admission scaleDown = new Admission(raw.uid(), raw.operation(), new Admission.Target("", "v1", "Scale",
                "replicationcontrollers", "scale"), "shop", "redis-master", false, raw.user(), raw.object(), raw.oldObject());

        Decision created = Policies.validate(Admissions.create(rc));
        Decision scaled = Policies.validate(scaleDown);

        assertThat(created.allowed()).isFalse();
        assertThat(created.message()).contains("ReplicationController shop/redis-master", "spec.replicas is 1",
                "set spec.replicas: 2 or more in the ReplicationController manifest");
        assertThat(scaled.allowed()).isFalse();
        assertThat(scaled.message()).contains("kubectl scale replicationcontroller redis-master -n shop --replicas=2");
    }

    @Test
    void a_deployment_sharing_a_volume_claim_is_told_the_fix_that_works_not_more_replicas() {
        Deployment shared = new DeploymentBuilder(deployment(1)).editSpec().editTemplate().editSpec().addNewVolume()
                .withName("data").withNewPersistentVolumeClaim().withClaimName("mysql-pv-claim").endPersistentVolumeClaim()
                .endVolume().endSpec().endTemplate().endSpec().build();
        Policy raise = Policies.of("defaults: {minReplicas: {action: raise}}");

        Decision validated = Policies.validate(Admissions.create(shared));
        Decision mutated = Policies.run(Admissions.create(shared), raise, Webhook.MUTATE);

        assertThat(validated.allowed()).as("still denied per mode").isFalse();
        assertThat(validated.message()).contains("mount PersistentVolumeClaim \"mysql-pv-claim\"", "Multi-Attach",
                "a StatefulSet with volumeClaimTemplates", "minReplicas: {minimum: 1}")
                .doesNotContain("Fix: set spec.replicas: 2 or more");
        assertThat(mutated.hasPatch()).as("never raised into a Multi-Attach error").isFalse();
    }

    @Test
    void a_single_database_statefulset_is_told_to_replicate_with_the_software_not_to_copy() {
        StatefulSet db = new StatefulSetBuilder().withNewMetadata().withName("db").withNamespace("shop").endMetadata()
                .withNewSpec().withReplicas(1).withNewTemplate().withNewSpec().addNewContainer().withName("pg")
                .withImage("docker.io/library/postgres:16.4").endContainer().endSpec().endTemplate().endSpec().build();

        Decision d = Policies.validate(Admissions.create(db));

        assertThat(d.allowed()).isFalse();
        assertThat(d.message()).contains("It runs \"docker.io/library/postgres:16.4\"", "diverging copy",
                "the software's replication").doesNotContain("Fix: set spec.replicas: 2 or more");
    }

    @Test
    void denies_deployment_below_minimum_replicas_with_the_fix() {
        Decision d = Policies.validate(Admissions.create(deployment(1)));

        assertThat(d.allowed()).isFalse();
        assertThat(d.message()).contains("Deployment shop/web", "minReplicas", "spec.replicas is 1",
                "minimum of 2", "set spec.replicas: 2");
    }

    @Test
    void admits_deployment_at_the_minimum() {
        assertThat(Policies.validate(Admissions.create(deployment(2))).allowed()).isTrue();
    }

    @Test
    void never_judges_a_replicaset_owned_by_a_deployment() {
        Decision d = Policies.validate(Admissions.update(replicaSet(3, "Deployment"), replicaSet(0, "Deployment")));

        assertThat(d.allowed()).isTrue();
        assertThat(Policies.rule(d, "minReplicas").outcome()).isEqualTo(Outcome.SKIP);
        assertThat(Policies.rule(d, "minReplicas").message()).contains("ReplicaSet with a controller");
    }

    @Test
    void denies_a_replicaset_that_no_deployment_owns() {
        assertThat(Policies.validate(Admissions.create(replicaSet(1, null))).allowed()).isFalse();
    }

    @Test
    void denies_kubectl_scale_below_the_minimum_with_the_command_to_run() {
        Decision d = Policies.validate(scaleUpdate(3, 1));

        assertThat(d.allowed()).isFalse();
        assertThat(d.message()).contains("kubectl scale deployment web -n shop --replicas=2");
        assertThat(Policies.validate(scaleUpdate(3, 2)).allowed()).isTrue();
    }

    @Test
    void admits_with_a_warning_an_update_that_leaves_an_existing_shortfall_unchanged() {
        Decision d = Policies.validate(Admissions.update(deployment(1), deployment(1)));

        assertThat(d.allowed()).isTrue();
        assertThat(d.warnings()).singleElement().asString().contains("below the minimum of 2", "unchanged");
        assertThat(Policies.validate(Admissions.update(deployment(1), deployment(0))).allowed())
                .as("scaling further down is still refused").isFalse();
    }

    @Test
    void denies_hpa_min_replicas_below_minimum_also_when_omitted() {
        var hpa = new HorizontalPodAutoscalerBuilder().withNewMetadata().withName("web").withNamespace("shop").endMetadata()
                .withNewSpec().withMaxReplicas(5).withNewScaleTargetRef().withKind("Deployment").withName("web")
                .endScaleTargetRef().endSpec().build();

        Decision d = Policies.validate(Admissions.create(hpa));

        assertThat(d.allowed()).isFalse();
        assertThat(d.message()).contains("spec.minReplicas is 1");
    }

    @Test
    void scale_to_zero_is_admitted_only_when_the_policy_allows_it() {
        Admission zero = Admissions.create(deployment(0));

        assertThat(Policies.validate(zero).allowed()).isFalse();
        assertThat(Policies.run(zero, Policies.of("defaults: {minReplicas: {allowScaleToZero: true}}"), Webhook.VALIDATE)
                .allowed()).isTrue();
    }

    @Test
    void raise_action_patches_replicas_up_to_the_minimum_and_then_admits() {
        var policy = Policies.of("defaults: {minReplicas: {action: raise, minimum: 3}}");
        Admission a = Admissions.create(deployment(1));

        Decision mutate = Policies.run(a, policy, Webhook.MUTATE);

        assertThat(Policies.applied(a, mutate).path("spec").path("replicas").asInt()).isEqualTo(3);
        assertThat(mutate.patchedPaths()).containsExactly("/spec/replicas");
        assertThat(mutate.warnings()).singleElement().asString().contains("raised from 1 to the minimum of 3");
        Deployment raised = deployment(3);
        assertThat(Policies.run(Admissions.create(raised), policy, Webhook.VALIDATE).allowed()).isTrue();
        assertThat(Policies.run(Admissions.create(raised), policy, Webhook.MUTATE).patch()).isEmpty();
    }

    @Test
    void raise_action_also_raises_kubectl_scale() {
        var policy = Policies.of("defaults: {minReplicas: {action: raise}}");
        Admission a = scaleUpdate(3, 1);

        Decision d = Policies.run(a, policy, Webhook.MUTATE);

        assertThat(Policies.applied(a, d).path("spec").path("replicas").asInt()).isEqualTo(2);
    }

    @Test
    void an_hpa_is_told_of_another_hpa_on_its_target_whichever_the_cache_lists_first() {
        var hpa = new HorizontalPodAutoscalerBuilder().withNewMetadata().withName("web-cpu").withNamespace("shop")
                .endMetadata().withNewSpec().withMinReplicas(2).withMaxReplicas(5).withNewScaleTargetRef()
                .withApiVersion("apps/v1").withKind("Deployment").withName("web").endScaleTargetRef().endSpec().build();
        dev.haguard.engine.ClusterView both = new dev.haguard.engine.ClusterView() {
            @Override
            public java.util.List<String> autoscalers(String namespace, String kind, String name) {
                return java.util.List.of("web-cpu", "web-memory"); // this HPA first, as a cache may list it
            }
        };

        Decision d = Policies.run(Admissions.update(hpa, hpa), Policies.DEFAULT, Webhook.VALIDATE, both);

        assertThat(d.allowed()).isTrue();
        assertThat(d.warnings()).anySatisfy(w -> assertThat(w).contains("HorizontalPodAutoscaler web-memory already "
                + "scales Deployment web", "kubectl delete hpa web-memory -n shop, or this one"));
    }

    @Test
    void deletes_are_not_judged() {
        Admission delete = Fixtures.admission("deployment-delete.validating.json");

        assertThat(Policies.rule(Policies.validate(delete), "minReplicas").outcome()).isEqualTo(Outcome.SKIP);
    }
}

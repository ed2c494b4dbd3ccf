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

/** Where more replicas is the wrong fix, or not the whole one, the message says what works. */
class MinReplicasAdviceTest {

    private static Deployment deployment(Integer replicas) {
        return new DeploymentBuilder().withNewMetadata().withName("web").withNamespace("shop").endMetadata()
                .withNewSpec().withReplicas(replicas).withNewTemplate().withNewMetadata().addToLabels("app", "web")
                .endMetadata().withNewSpec().addNewContainer().withName("web").withImage("nginx:1.27").endContainer()
                .endSpec().endTemplate().endSpec().build();
    }

    @Test
    void a_database_on_a_deployment_is_told_to_become_a_statefulset_with_claim_templates() {
        Deployment db = new DeploymentBuilder(deployment(1)).editSpec().editTemplate().editSpec().editFirstContainer()
                .withImage("postgres:16").endContainer().endSpec().endTemplate().endSpec().build();

        assertThat(Policies.validate(Admissions.create(db)).message()).contains("It runs \"postgres:16\"",
                "run it as a StatefulSet with volumeClaimTemplates (one volume per replica)")
                .doesNotContain("set spec.replicas: 2 together with");
    }

    private static Deployment running(String image, String... args) {
        return new DeploymentBuilder(deployment(1)).editSpec().editTemplate().editSpec().editFirstContainer()
                .withImage(image).withArgs(args).endContainer().endSpec().endTemplate().endSpec().build();
    }

    @Test
    void a_controller_that_must_run_alone_is_told_what_a_second_replica_would_do() {
        Decision operator = Policies.validate(Admissions.create(running(
                "quay.io/prometheus-operator/prometheus-operator:v0.79.2", "--kubelet-service=kube-system/kubelet")));
        Decision metrics = Policies.validate(Admissions.create(running("registry.k8s.io/kube-state-metrics/"
                + "kube-state-metrics:v2.14.0", "--port=8080")));
        Decision sharded = Policies.validate(Admissions.create(running("registry.k8s.io/kube-state-metrics/"
                + "kube-state-metrics:v2.14.0", "--total-shards=2", "--shard=0")));
        Decision noElection = Policies.validate(Admissions.create(running("example.com/controller:1.0",
                "--leader-elect=false")));

        assertThat(operator.allowed()).as("still denied per mode").isFalse();
        assertThat(operator.message()).contains("has no leader election", "Fix: keep 1 replica",
                "minReplicas: {minimum: 1}").doesNotContain("set spec.replicas: 2");
        assertThat(metrics.message()).contains("without sharding", "doubling every series", "--total-shards");
        assertThat(sharded.message()).as("sharded: more replicas is the fix").contains("Fix: set spec.replicas: 2 or more")
                .doesNotContain("sharding");
        assertThat(noElection.message()).contains("turn leader election off (--leader-elect=false)",
                "drop --leader-elect=false) and set spec.replicas: 2");
    }

    @Test
    void a_bare_pod_that_runs_until_stopped_is_told_nothing_re_creates_it() {
        io.fabric8.kubernetes.api.model.Pod bare = new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata()
                .withName("web").withNamespace("shop").endMetadata().withNewSpec().addNewContainer().withName("web")
                .withImage("nginx:1.27").endContainer().endSpec().build();
        var job = new io.fabric8.kubernetes.api.model.PodBuilder(bare).editSpec().withRestartPolicy("Never").endSpec()
                .build();
        var owned = new io.fabric8.kubernetes.api.model.PodBuilder(bare).editMetadata().addNewOwnerReference()
                .withKind("ReplicaSet").withName("web-1").withController(true).endOwnerReference().endMetadata().build();

        Decision d = Policies.validate(Admissions.create(bare));

        assertThat(d.allowed()).as("a notice, never a denial").isTrue();
        assertThat(Policies.rule(d, "minReplicas").message()).contains("has no controller", "run it as a Deployment "
                + "with spec.replicas: 2 or more");
        assertThat(Policies.rule(Policies.validate(Admissions.create(job)), "minReplicas").outcome())
                .isEqualTo(Outcome.SKIP);
        assertThat(Policies.rule(Policies.validate(Admissions.create(owned)), "minReplicas").outcome())
                .isEqualTo(Outcome.SKIP);
    }
}

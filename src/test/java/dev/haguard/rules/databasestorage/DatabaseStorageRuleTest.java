package dev.haguard.rules.databasestorage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haguard.Admissions;
import dev.haguard.Policies;
import dev.haguard.engine.Outcome;
import dev.haguard.engine.RuleDecision;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import org.junit.jupiter.api.Test;

class DatabaseStorageRuleTest {

    private static PodSpecBuilder pod(String image, String mountPath, String volume) {
        ContainerBuilder c = new ContainerBuilder().withName("db").withImage(image);
        if (mountPath != null) {
            c.addNewVolumeMount().withName("data").withMountPath(mountPath).endVolumeMount();
        }
        PodSpecBuilder spec = new PodSpecBuilder().withContainers(c.build());
        return switch (volume == null ? "" : volume) {
            case "emptyDir" -> spec.addNewVolume().withName("data").withNewEmptyDir().endEmptyDir().endVolume();
            case "claim" -> spec.addNewVolume().withName("data").withNewPersistentVolumeClaim().withClaimName("db")
                    .endPersistentVolumeClaim().endVolume();
            default -> spec;
        };
    }

    private static HasMetadata deployment(PodSpecBuilder spec) {
        return new DeploymentBuilder().withNewMetadata().withName("db").withNamespace("shop").endMetadata().withNewSpec()
                .withReplicas(1).withNewTemplate().withSpec(spec.build()).endTemplate().endSpec().build();
    }

    private static RuleDecision judged(HasMetadata object) {
        return Policies.rule(Policies.validate(Admissions.create(object)), "databaseStorage");
    }

    @Test
    void a_database_on_an_emptydir_is_warned_about_with_the_volume_and_a_fix_that_keeps_the_data() {
        // microservices-demo's redis-cart: redis with /data on an emptyDir.
        RuleDecision r = judged(deployment(pod("redis:alpine", "/data", "emptyDir")));

        assertThat(r.outcome()).isEqualTo(Outcome.WARN);
        assertThat(r.message()).contains("container db runs \"redis:alpine\", which keeps its data in /data, on emptyDir "
                + "volume data, which is deleted with the pod", "a StatefulSet with volumeClaimTemplates mounted at /data",
                "databaseStorage: {mode: off}");
    }

    @Test
    void a_database_with_no_volume_keeps_its_rows_in_the_container_layer() {
        RuleDecision r = judged(deployment(pod("postgres:16", null, null)));

        assertThat(r.outcome()).isEqualTo(Outcome.WARN);
        assertThat(r.message()).contains("/var/lib/postgresql/data, which no volume holds");
    }

    @Test
    void a_volume_that_outlives_the_pod_is_enough_wherever_the_image_keeps_its_data() {
        HasMetadata claimTemplate = new StatefulSetBuilder().withNewMetadata().withName("cassandra").withNamespace("shop")
                .endMetadata().withNewSpec().withReplicas(3).withNewTemplate().withSpec(pod(
                        "gcr.io/google-samples/cassandra:v13", "/cassandra_data", null).build()).endTemplate()
                .addNewVolumeClaimTemplate().withNewMetadata().withName("data").endMetadata().endVolumeClaimTemplate()
                .endSpec().build();

        assertThat(judged(claimTemplate).outcome()).isEqualTo(Outcome.PASS);
        assertThat(judged(deployment(pod("mysql:8", "/var/lib/mysql", "claim"))).outcome()).isEqualTo(Outcome.PASS);
        assertThat(judged(deployment(pod("memcached:1.6", null, null))).outcome()).as("a cache").isEqualTo(Outcome.PASS);
        assertThat(judged(deployment(pod("nginx:1.27", null, null))).outcome()).isEqualTo(Outcome.PASS);
    }

    @Test
    void the_environment_can_move_the_data_directory() {
        PodSpecBuilder moved = pod("postgres:16", "/pgdata", "emptyDir");
        moved.editFirstContainer().addNewEnv().withName("PGDATA").withValue("/pgdata/db").endEnv().endContainer();

        assertThat(judged(deployment(moved)).message()).contains("keeps its data in /pgdata/db, on emptyDir volume data");
    }

    @Test
    void a_statefulset_is_told_to_add_a_claim_template() {
        HasMetadata set = new StatefulSetBuilder().withNewMetadata().withName("pg").withNamespace("shop").endMetadata()
                .withNewSpec().withReplicas(3).withNewTemplate().withSpec(pod("postgres:16", "/var/lib/postgresql/data",
                        "emptyDir").build()).endTemplate().endSpec().build();

        assertThat(judged(set).message()).contains("Fix: add a volumeClaimTemplate and mount it at "
                + "/var/lib/postgresql/data in container db");
    }

    @Test
    void pods_a_controller_made_are_judged_on_it_and_an_update_keeping_the_problem_says_so() {
        HasMetadata owned = new PodBuilder().withNewMetadata().withName("db-1").withNamespace("shop")
                .addNewOwnerReference().withKind("ReplicaSet").withName("db").withController(true).endOwnerReference()
                .endMetadata().withSpec(pod("redis:7", null, null).build()).build();
        HasMetadata before = deployment(pod("redis:7", null, null));

        assertThat(judged(owned).outcome()).isEqualTo(Outcome.SKIP);
        assertThat(Policies.rule(Policies.validate(Admissions.update(before, deployment(pod("redis:7.2", null, null)))),
                "databaseStorage").message()).contains("so before this change too, so it is admitted");
    }
}

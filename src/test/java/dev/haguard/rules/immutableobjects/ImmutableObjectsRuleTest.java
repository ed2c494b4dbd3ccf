package dev.haguard.rules.immutableobjects;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haguard.Admissions;
import dev.haguard.Policies;
import dev.haguard.engine.Admission;
import dev.haguard.engine.Decision;
import dev.haguard.engine.Operation;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImmutableObjectsRuleTest {

    private static final Map<String, String> MARKED = Map.of("haguard.dev/immutable", "true");

    private static Deployment deployment(Map<String, String> labels, int replicas, String image) {
        return new DeploymentBuilder().withNewMetadata().withName("web").withNamespace("shop").withLabels(labels)
                .withResourceVersion("10").withGeneration(1L).endMetadata()
                .withNewSpec().withReplicas(replicas).withNewTemplate().withNewMetadata().addToLabels("app", "web")
                .endMetadata().withNewSpec().addNewContainer().withName("web").withImage(image).endContainer()
                .endSpec().endTemplate().endSpec().build();
    }

    private static ConfigMap configMap(Map<String, String> labels, Map<String, String> data) {
        return new ConfigMapBuilder().withNewMetadata().withName("settings").withNamespace("shop").withLabels(labels)
                .endMetadata().withData(data).build();
    }

    @Test
    void denies_editing_a_marked_deployment_and_names_the_field_and_the_new_version() {
        Decision d = Policies.validate(Admissions.update(deployment(MARKED, 3, "app:1.0"), deployment(MARKED, 3, "app:1.1")));

        assertThat(d.allowed()).isFalse();
        assertThat(d.message()).contains("immutableObjects", "spec.template.spec.containers[0].image", "web-v2");
    }

    @Test
    void scaling_and_controller_bookkeeping_are_not_drift() {
        Deployment before = deployment(MARKED, 3, "app:1.0");
        Deployment after = new DeploymentBuilder(deployment(MARKED, 5, "app:1.0")).editMetadata()
                .withResourceVersion("11").withGeneration(2L).addToAnnotations("deployment.kubernetes.io/revision", "2")
                .addToFinalizers("example.com/cleanup").endMetadata().withNewStatus().withReplicas(5).endStatus().build();

        assertThat(Policies.validate(Admissions.update(before, after)).allowed()).isTrue();
    }

    @Test
    void an_annotation_outside_the_allow_list_is_a_change() {
        Deployment after = new DeploymentBuilder(deployment(MARKED, 3, "app:1.0")).editMetadata()
                .addToAnnotations("team.example.com/owner", "payments").endMetadata().build();

        Decision d = Policies.validate(Admissions.update(deployment(MARKED, 3, "app:1.0"), after));

        assertThat(d.allowed()).isFalse();
        assertThat(d.message()).contains("metadata.annotations[\"team.example.com/owner\"]");
    }

    @Test
    void removing_the_marker_is_itself_a_change() {
        Decision d = Policies.validate(Admissions.update(deployment(MARKED, 3, "app:1.0"), deployment(Map.of(), 3, "app:1.0")));

        assertThat(d.allowed()).isFalse();
        assertThat(d.message()).contains("metadata.labels[\"haguard.dev/immutable\"]", "removing the marker");
    }

    @Test
    void unmarked_objects_and_deletes_are_left_alone() {
        assertThat(Policies.validate(Admissions.update(deployment(Map.of(), 3, "app:1.0"), deployment(Map.of(), 3, "app:1.1")))
                .allowed()).isTrue();
        Admission delete = Admissions.of(Operation.DELETE, null, deployment(MARKED, 3, "app:1.0"), "");
        assertThat(Policies.validate(delete).allowed()).isTrue();
    }

    @Test
    void a_configmap_marked_by_its_data_entry_is_immutable_too() {
        Map<String, String> data = Map.of("infrastructure", "immutable", "LOG_LEVEL", "info");
        ConfigMap after = configMap(Map.of(), Map.of("infrastructure", "immutable", "LOG_LEVEL", "debug"));

        Decision d = Policies.validate(Admissions.update(configMap(Map.of(), data), after));

        assertThat(d.allowed()).isFalse();
        assertThat(d.message()).contains("data entry infrastructure: immutable", "data.LOG_LEVEL", "settings-v2");
    }

    @Test
    void marked_configmaps_and_secrets_get_immutable_true_at_create() {
        Admission cm = Admissions.create(configMap(MARKED, Map.of("k", "v")));
        Secret secret = new SecretBuilder().withNewMetadata().withName("creds").withNamespace("shop").withLabels(MARKED)
                .endMetadata().withData(Map.of("password", "c2VjcmV0")).build();
        Admission sec = Admissions.create(secret);

        assertThat(Policies.applied(cm, Policies.mutate(cm)).path("immutable").asBoolean()).isTrue();
        assertThat(Policies.applied(sec, Policies.mutate(sec)).path("immutable").asBoolean()).isTrue();
        assertThat(Policies.mutate(Admissions.create(configMap(Map.of(), Map.of("k", "v")))).patch()).isEmpty();
    }

    @Test
    void an_explicit_immutable_false_is_kept_and_warned_about() {
        ConfigMap cm = new ConfigMapBuilder(configMap(MARKED, Map.of("k", "v"))).withImmutable(false).build();

        Decision d = Policies.mutate(Admissions.create(cm));

        assertThat(d.patch()).isEmpty();
        assertThat(d.warnings()).singleElement().asString().contains("immutable: false");
    }

    @Test
    void a_denied_secret_edit_names_the_key_but_never_the_value() {
        Secret before = new SecretBuilder().withNewMetadata().withName("creds").withNamespace("shop").withLabels(MARKED)
                .endMetadata().withData(Map.of("password", "b2xkLXBhc3N3b3Jk")).build();
        Secret after = new SecretBuilder(before).withData(Map.of("password", "bmV3LXBhc3N3b3Jk")).build();

        Decision d = Policies.validate(Admissions.update(before, after));

        assertThat(d.allowed()).isFalse();
        assertThat(d.message()).contains("data.password").doesNotContain("b2xkLXBhc3N3b3Jk", "bmV3LXBhc3N3b3Jk");
    }
}

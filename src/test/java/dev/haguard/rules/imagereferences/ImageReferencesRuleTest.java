package dev.haguard.rules.imagereferences;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haguard.Admissions;
import dev.haguard.Policies;
import dev.haguard.engine.Decision;
import dev.haguard.engine.Outcome;
import dev.haguard.engine.Webhook;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageReferencesRuleTest {

    private static final String DIGEST = "sha256:" + "a".repeat(64);

    private static Pod pod(String image) {
        return new PodBuilder().withNewMetadata().withName("solo").withNamespace("shop").endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage(image).endContainer().endSpec().build();
    }

    @ParameterizedTest
    @CsvSource({
            "nginx:latest, false, mutable tag :latest",
            "nginx, false, no tag",
            "registry.local:5000/team/app, false, no tag",
            "nginx:1.27, true, not pinned by digest",
            "nginx@sha256:abc, false, malformed digest"})
    void denies_mutable_image_references(String image, boolean requireDigest, String problem) {
        var policy = Policies.of("defaults: {imageReferences: {requireDigest: " + requireDigest + "}}");

        Decision d = Policies.run(Admissions.create(pod(image)), policy, Webhook.VALIDATE);

        assertThat(d.allowed()).isFalse();
        assertThat(d.message()).contains("imageReferences", "spec.containers[name=app]", image, problem, "fix:");
    }

    @ParameterizedTest
    @CsvSource({"nginx:1.27", "registry.local:5000/team/app:2.3.1", "nginx@sha256:" + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    void admits_pinned_image_references(String image) {
        assertThat(Policies.validate(Admissions.create(pod(image))).allowed()).isTrue();
    }

    @Test
    void init_and_ephemeral_containers_are_judged_too() {
        Pod p = new PodBuilder(pod("nginx:1.27")).editSpec().addNewInitContainer().withName("setup")
                .withImage("busybox").endInitContainer().addNewEphemeralContainer().withName("debug")
                .withImage("busybox:latest").endEphemeralContainer().endSpec().build();

        Decision d = Policies.validate(Admissions.create(p));

        assertThat(d.message()).contains("spec.initContainers[name=setup]", "spec.ephemeralContainers[name=debug]");
    }

    @Test
    void a_cronjob_template_is_judged_at_its_own_path() {
        var cron = new CronJobBuilder().withNewMetadata().withName("backup").withNamespace("shop").endMetadata()
                .withNewSpec().withSchedule("@daily").withNewJobTemplate().withNewSpec().withNewTemplate().withNewSpec()
                .addNewContainer().withName("backup").withImage("backup:latest").endContainer().endSpec().endTemplate()
                .endSpec().endJobTemplate().endSpec().build();

        assertThat(Policies.validate(Admissions.create(cron)).message())
                .contains("spec.jobTemplate.spec.template.spec.containers[name=backup]");
    }

    @Test
    void pods_of_a_replicaset_are_judged_on_the_replicaset_not_once_per_pod() {
        Pod owned = new PodBuilder(pod("nginx:latest")).editMetadata().addNewOwnerReference().withKind("ReplicaSet")
                .withName("web-abc").withController(true).endOwnerReference().endMetadata().build();

        Decision d = Policies.validate(Admissions.create(owned));

        assertThat(d.allowed()).isTrue();
        assertThat(Policies.rule(d, "imageReferences").outcome()).isEqualTo(Outcome.SKIP);
    }

    @Test
    void an_update_that_keeps_an_existing_latest_is_admitted_with_a_warning() {
        Decision keep = Policies.validate(Admissions.update(pod("nginx:latest"), pod("nginx:latest")));
        Decision introduce = Policies.validate(Admissions.update(pod("nginx:1.27"), pod("nginx:latest")));

        assertThat(keep.allowed()).isTrue();
        assertThat(keep.warnings()).singleElement().asString().contains("already so before this change");
        assertThat(introduce.allowed()).isFalse();
    }
}

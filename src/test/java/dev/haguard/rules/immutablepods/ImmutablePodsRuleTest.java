package dev.haguard.rules.immutablepods;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haguard.Admissions;
import dev.haguard.Policies;
import dev.haguard.engine.Decision;
import dev.haguard.engine.Operation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

class ImmutablePodsRuleTest {

    private static PodBuilder pod(String image) {
        return new PodBuilder().withNewMetadata().withName("web-1").withNamespace("shop").addToLabels("app", "web")
                .addNewOwnerReference().withKind("ReplicaSet").withName("web-abc").withController(true).endOwnerReference()
                .endMetadata().withNewSpec().withNodeName("node-a").addNewContainer().withName("web").withImage(image)
                .endContainer().endSpec();
    }

    @Test
    void denies_an_in_place_image_swap_and_points_at_the_owner() {
        Decision d = Policies.validate(Admissions.update(pod("nginx:1.27").build(), pod("nginx:1.28").build()));

        assertThat(d.allowed()).isFalse();
        assertThat(d.message()).contains("immutablePods", "spec.containers[0].image", "nginx:1.27 -> nginx:1.28",
                "ReplicaSet web-abc");
    }

    @Test
    void labels_annotations_and_scheduling_gates_may_change() {
        Pod before = pod("nginx:1.27").editSpec().addNewSchedulingGate("example.com/quota").endSpec().build();
        Pod after = pod("nginx:1.27").editMetadata().addToLabels("canary", "true").addToAnnotations("note", "x")
                .endMetadata().build();

        assertThat(Policies.validate(Admissions.update(before, after)).allowed()).isTrue();
    }

    @Test
    void status_updates_are_not_edits() {
        Pod after = pod("nginx:1.27").withNewStatus().withPhase("Running").endStatus().build();
        var status = Admissions.of(Operation.UPDATE, after, pod("nginx:1.27").build(), "status");

        assertThat(Policies.validate(status).allowed()).isTrue();
    }
}

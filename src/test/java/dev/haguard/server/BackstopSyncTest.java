package dev.haguard.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haguard.Policies;
import dev.haguard.backstop.Backstop;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The backstop kept in step with the policy, against the fabric8 mock API server in CRUD mode. */
class BackstopSyncTest {

    private KubernetesMockServer server;
    private KubernetesClient kube;
    private final dev.haguard.cluster.CrdAwareDispatcher dispatcher = new dev.haguard.cluster.CrdAwareDispatcher();

    @BeforeEach
    void start() {
        server = dev.haguard.cluster.CrdAwareDispatcher.server(dispatcher);
        kube = server.createClient();
    }

    @AfterEach
    void stop() {
        kube.close();
        server.destroy();
    }

    private List<String> names(io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext type) {
        return kube.genericKubernetesResources(type).withLabel(BackstopSync.LABEL, "true").list().getItems().stream()
                .map(o -> o.getMetadata().getName()).sorted().toList();
    }

    @Test
    void policies_appear_are_left_alone_when_unchanged_and_go_when_the_policy_drops_them() {
        BackstopSync sync = new BackstopSync(kube);
        Backstop.Export full = Backstop.of(Policies.DEFAULT);

        assertThat(sync.sync(full)).containsExactly(full.objects().size(), 0);
        assertThat(names(BackstopSync.POLICIES)).hasSize(full.objects().size() / 2)
                .contains("ha-guard-imagereferences-pods-defaults", "ha-guard-minreplicas-scale-defaults");
        assertThat(names(BackstopSync.BINDINGS)).isEqualTo(names(BackstopSync.POLICIES));
        GenericKubernetesResource before = kube.genericKubernetesResources(BackstopSync.POLICIES)
                .withName("ha-guard-imagereferences-pods-defaults").get();

        assertThat(sync.sync(full)).as("nothing changed, nothing written").containsExactly(0, 0);

        Backstop.Export imagesOff = Backstop.of(Policies.of("defaults: {imageReferences: {mode: 'off'}}"));
        int[] counts = sync.sync(imagesOff);
        assertThat(counts[1]).isPositive();
        assertThat(names(BackstopSync.POLICIES)).isNotEmpty().noneMatch(n -> n.contains("imagereferences"));
        assertThat(names(BackstopSync.BINDINGS)).noneMatch(n -> n.contains("imagereferences"));
        assertThat(before.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "ha-guard");
    }

    @Test
    void a_cluster_that_serves_no_admission_policies_is_left_alone() {
        dispatcher.refuse("/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies", 404);
        BackstopSync sync = new BackstopSync(kube);

        assertThat(sync.sync(Backstop.of(Policies.DEFAULT))).containsExactly(0, 0);
        assertThat(sync.sync(Backstop.of(Policies.DEFAULT))).as("asked again, still nothing").containsExactly(0, 0);
    }

    @Test
    void a_new_leader_adopts_what_the_last_one_wrote_and_deletes_what_is_stale() {
        new BackstopSync(kube).sync(Backstop.of(Policies.DEFAULT));

        BackstopSync next = new BackstopSync(kube);
        next.sync(Backstop.of(Policies.of("defaults: {minReplicas: {mode: 'off'}}")));

        assertThat(names(BackstopSync.POLICIES)).isNotEmpty().noneMatch(n -> n.contains("minreplicas"));
    }
}

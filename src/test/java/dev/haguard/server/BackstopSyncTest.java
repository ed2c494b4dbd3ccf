package dev.haguard.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haguard.Policies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haguard.cel.Autoscaled;
import dev.haguard.backstop.Backstop;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.List;
import java.util.Map;
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
        Backstop.Export full = export(Policies.DEFAULT);

        assertThat(sync.sync(NO_HPAS, full)).containsExactly(full.objects().size() + 1, 0);
        assertThat(names(BackstopSync.POLICIES)).hasSize(full.objects().size() / 2)
                .contains("ha-guard-imagereferences-pods-defaults", "ha-guard-minreplicas-scale-defaults");
        assertThat(names(BackstopSync.BINDINGS)).isEqualTo(names(BackstopSync.POLICIES));
        GenericKubernetesResource before = kube.genericKubernetesResources(BackstopSync.POLICIES)
                .withName("ha-guard-imagereferences-pods-defaults").get();

        assertThat(sync.sync(NO_HPAS, full)).as("nothing changed, nothing written").containsExactly(0, 0);

        Backstop.Export imagesOff = export(Policies.of("defaults: {imageReferences: {mode: 'off'}}"));
        int[] counts = sync.sync(NO_HPAS, imagesOff);
        assertThat(counts[1]).isPositive();
        assertThat(names(BackstopSync.POLICIES)).isNotEmpty().noneMatch(n -> n.contains("imagereferences"));
        assertThat(names(BackstopSync.BINDINGS)).noneMatch(n -> n.contains("imagereferences"));
        assertThat(before.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "ha-guard");
    }

    @Test
    void a_cluster_that_serves_no_admission_policies_is_left_alone() {
        dispatcher.refuse("/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies", 404);
        BackstopSync sync = new BackstopSync(kube);

        assertThat(sync.sync(NO_HPAS, export(Policies.DEFAULT))).containsExactly(0, 0);
        assertThat(sync.sync(NO_HPAS, export(Policies.DEFAULT))).as("asked again, still nothing")
                .containsExactly(0, 0);
    }

    @Test
    void a_new_leader_adopts_what_the_last_one_wrote_and_deletes_what_is_stale() {
        new BackstopSync(kube).sync(NO_HPAS, export(Policies.DEFAULT));

        BackstopSync next = new BackstopSync(kube);
        next.sync(NO_HPAS, export(Policies.of("defaults: {minReplicas: {mode: 'off'}}")));

        assertThat(names(BackstopSync.POLICIES)).isNotEmpty().noneMatch(n -> n.contains("minreplicas"));
    }

    @Test
    void the_hpa_parameter_is_written_with_the_policies_and_alone_when_only_hpas_change() {
        BackstopSync sync = new BackstopSync(kube);
        sync.sync(NO_HPAS, export(Policies.DEFAULT));
        assertThat(kube.configMaps().inNamespace("ha-guard").withName(Autoscaled.NAME).get().getData()).isNullOrEmpty();

        int[] counts = sync.sync(dev.haguard.cel.Autoscaled.configMap("ha-guard", Map.of("shop/Deployment/web", "web-hpa",
                "shop/ReplicaSet/old", "rs-hpa"), List.of()), export(Policies.DEFAULT));

        assertThat(counts).as("only the parameter changed").containsExactly(1, 0);
        assertThat(kube.configMaps().inNamespace("ha-guard").withName(Autoscaled.NAME).get().getData())
                .as("a ReplicaSet is judged by the webhook whatever scales it, so it is not listed")
                .containsExactly(Map.entry("shop_deployments_web", "web-hpa"));
    }

    @Test
    void the_leader_writes_only_denials_and_each_with_its_binding() {
        Backstop.Export all = Backstop.of(Policies.DEFAULT, "ha-guard", dev.haguard.rules.StandardRules.DEFAULT.rules());
        Backstop.Export kept = export(Policies.DEFAULT);

        assertThat(all.objects()).anySatisfy(o -> assertThat(o.path("spec").path("validationActions").toString())
                .contains("Warn"));
        assertThat(kept.objects()).isNotEmpty().filteredOn(o -> o.path("kind").asText().endsWith("Binding"))
                .allSatisfy(o -> assertThat(o.path("spec").path("validationActions").toString()).isEqualTo("[\"Deny\"]"))
                .hasSize(kept.objects().size() / 2);
        assertThat(kept.objects()).filteredOn(o -> o.path("kind").asText().equals("ValidatingAdmissionPolicy"))
                .extracting(o -> o.path("metadata").path("name").asText()).doesNotContain(
                        "ha-guard-minreplicas-kept-workloads-defaults").contains("ha-guard-minreplicas-workloads-defaults");
    }

    private static final ObjectNode NO_HPAS = dev.haguard.cel.Autoscaled.configMap("ha-guard", Map.of(), List.of());

    /** What the leader writes. */
    private static Backstop.Export export(dev.haguard.policy.Policy policy) {
        return Backstop.of(policy, "ha-guard", dev.haguard.rules.StandardRules.DEFAULT.rules()).denyOnly();
    }
}

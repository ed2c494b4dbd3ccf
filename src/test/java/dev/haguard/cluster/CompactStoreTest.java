package dev.haguard.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haguard.json.Json;
import dev.haguard.rules.common.ApiKinds;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import org.junit.jupiter.api.Test;

/**
 * What the background scan's informers keep of each object: what the rules read, and less of an object a controller
 * manages (judged on its controller). What is dropped here is what no rule reads; what a rule reads is proven read by
 * the scans in BackgroundScanTest and the scan tests.
 */
class CompactStoreTest {

    private static PodBuilder pod(String name) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("shop").withUid("uid-" + name)
                .addToLabels("app", "api").addToAnnotations("checksum/config", "x".repeat(200)).endMetadata()
                .withNewSpec().withNodeName("node-a").addNewContainer().withName("api").withImage("api:1")
                .addNewEnv().withName("MODE").withValue("prod").endEnv().endContainer()
                .addNewVolume().withName("data").withNewPersistentVolumeClaim().withClaimName("data-api-0")
                .endPersistentVolumeClaim().endVolume()
                .addNewVolume().withName("token").withNewProjected().endProjected().endVolume().endSpec()
                .withNewStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus("True")
                .withLastTransitionTime("2026-12-01T00:00:00Z").endCondition().endStatus();
    }

    private static CompactStore<Pod> pods() {
        return new CompactStore<>(Pod.class, ApiKinds.POD.kept(), ApiKinds.POD.keptControlled());
    }

    @Test
    void a_managed_pod_keeps_where_it_runs_its_readiness_its_claims_and_whose_it_is() {
        CompactStore<Pod> store = pods();
        Pod managed = pod("api-1").editMetadata().withDeletionTimestamp("2026-12-04T10:00:00Z").addNewOwnerReference()
                .withApiVersion("apps/v1").withKind("ReplicaSet").withName("api-7d").withUid("rs-1").withController(true)
                .endOwnerReference().endMetadata().editSpec().editFirstContainer().withNewResources()
                .addToRequests("cpu", new io.fabric8.kubernetes.api.model.Quantity("250m")).endResources()
                .endContainer().addNewToleration().withKey("node.kubernetes.io/not-ready").withOperator("Exists")
                .withEffect("NoExecute").withTolerationSeconds(300L).endToleration().addNewToleration()
                .withKey("dedicated").withOperator("Equal").withValue("gpu").withEffect("NoSchedule").endToleration()
                .endSpec().build();
        store.put(store.getKey(managed), managed);

        JsonNode kept = store.tree("shop/api-1");
        assertThat(kept.path("kind").asText()).isEqualTo("Pod");
        assertThat(kept.path("apiVersion").asText()).isEqualTo("v1");
        assertThat(kept.path("metadata").path("uid").asText()).isEqualTo("uid-api-1");
        assertThat(kept.path("metadata").path("labels").path("app").asText()).isEqualTo("api");
        assertThat(kept.path("metadata").path("ownerReferences").path(0).path("uid").asText()).isEqualTo("rs-1");
        assertThat(kept.path("metadata").path("deletionTimestamp").asText()).as("a pod going away is not ready")
                .isEqualTo("2026-12-04T10:00:00Z");
        assertThat(kept.path("spec").path("nodeName").asText()).isEqualTo("node-a");
        assertThat(kept.path("spec").path("volumes").path(0).path("persistentVolumeClaim").path("claimName").asText())
                .isEqualTo("data-api-0");
        assertThat(kept.path("status").path("conditions").path(0).path("type").asText()).isEqualTo("Ready");
        assertThat(kept.path("status").path("conditions").path(0).path("status").asText()).isEqualTo("True");
        assertThat(kept.path("spec").path("containers").path(0).path("resources").path("requests").path("cpu")
                .asText()).as("what a surviving node must have room for").isEqualTo("250m");
        assertThat(kept.path("spec").path("tolerations")).as("the API server's default ones dropped").hasSize(1);
        assertThat(kept.path("spec").path("tolerations").path(0).path("value").asText()).isEqualTo("gpu");
        assertThat(kept.path("spec").path("tolerations").path(0).path("effect").asText()).isEqualTo("NoSchedule");
        assertThat(kept.path("status").path("phase").asText()).as("a finished pod holds no room").isEqualTo("Running");

        assertThat(kept.path("spec").path("containers").path(0).has("image")).as("judged on its controller").isFalse();
        assertThat(kept.path("metadata").has("annotations")).isFalse();
        assertThat(kept.path("status").path("conditions").path(0).has("lastTransitionTime")).isFalse();
        assertThat(kept.path("spec").path("volumes").path(1).size()).as("a volume without a claim").isZero();
        assertThat(kept.toString().length()).as("compact").isLessThan(650);
    }

    @Test
    void a_bare_pod_is_judged_itself_so_it_keeps_its_spec_and_annotations() {
        CompactStore<Pod> store = pods();
        Pod bare = pod("debug").build();
        store.put(store.getKey(bare), bare);

        JsonNode kept = store.tree("shop/debug");
        assertThat(kept.path("spec").path("containers").path(0).path("env").path(0).path("value").asText())
                .isEqualTo("prod");
        assertThat(kept.path("metadata").path("annotations").path("checksum/config").asText()).hasSize(200);
        assertThat(kept.path("status").path("conditions").path(0).path("lastTransitionTime").asText()).isNotEmpty();
        assertThat(kept.path("status").has("podIP")).as("not read by any rule").isFalse();
    }

    @Test
    void the_informer_gets_back_the_typed_object_and_the_one_it_replaced() {
        CompactStore<ReplicaSet> store = new CompactStore<>(ReplicaSet.class, ApiKinds.REPLICA_SET.kept(),
                ApiKinds.REPLICA_SET.keptControlled());
        ReplicaSet rs = new ReplicaSetBuilder().withNewMetadata().withName("api-7d").withNamespace("shop")
                .withResourceVersion("1").addNewOwnerReference().withKind("Deployment").withName("api").withUid("d-1")
                .withController(true).endOwnerReference().endMetadata().withNewSpec().withReplicas(3).endSpec().build();

        assertThat(store.put("shop/api-7d", rs)).isNull();
        ReplicaSet next = new ReplicaSetBuilder(rs).editMetadata().withResourceVersion("2").endMetadata().build();
        ReplicaSet replaced = store.put("shop/api-7d", next);

        assertThat(replaced.getMetadata().getResourceVersion()).isEqualTo("1");
        assertThat(store.get("shop/api-7d").getMetadata().getOwnerReferences().get(0).getUid()).isEqualTo("d-1");
        assertThat(store.get("shop/api-7d").getSpec()).as("a Deployment's ReplicaSet keeps its metadata only").isNull();
        assertThat(store.keySet()).containsExactly("shop/api-7d");
        assertThat(store.values()).singleElement().satisfies(v -> assertThat(store.getKey(v)).as("what a relist reads")
                .isEqualTo("shop/api-7d"));
        assertThat(store.remove("shop/api-7d").getMetadata().getName()).isEqualTo("api-7d");
        assertThat(store.size()).isZero();
        assertThat(store.tree("shop/api-7d")).isNull();
    }

    @Test
    void two_paths_into_one_array_share_its_elements() {
        JsonNode from = Json.MAPPER.valueToTree(java.util.Map.of("a", java.util.List.of(
                java.util.Map.of("x", 1, "y", 2, "z", 3), java.util.Map.of("x", 4, "z", 6))));
        var to = Json.MAPPER.createObjectNode();
        Kept.copy(from, to, "a[].x".split("\\."), 0);
        Kept.copy(from, to, "a[].y".split("\\."), 0);

        assertThat(to.toString()).isEqualTo("{\"a\":[{\"x\":1,\"y\":2},{\"x\":4}]}");
    }
}

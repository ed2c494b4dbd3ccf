package dev.haguard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.haguard.Admissions;
import dev.haguard.Reviews;
import dev.haguard.admission.Https;
import dev.haguard.engine.Admission;
import dev.haguard.engine.ClusterView;
import dev.haguard.engine.Operation;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every rule that reads the cluster, judged through the server's real wiring (HTTPS, the webhook, the informer caches
 * filled from a mock API server in CRUD mode): a rule that works in check and silently does nothing in the server is
 * the worst bug. Each test asks for something only the cluster's state can tell.
 */
@QuarkusTest
@WithKubernetesTestServer
@TestProfile(PolicyConfigMapWatchTest.Watch.class)
class ClusterStateAtAdmissionTest {

    private static final Duration IN_FORCE_WITHIN = Duration.ofSeconds(5);

    @KubernetesTestServer
    KubernetesServer server;

    @TestHTTPResource(value = "/", tls = true)
    URL https;

    @Inject
    ClusterWatch watch;

    private final List<Resource<? extends HasMetadata>> created = new ArrayList<>();

    private <T extends HasMetadata> Resource<T> create(T object) {
        Resource<T> r = server.getClient().resource(object);
        r.createOr(existing -> existing.update());
        created.add(r);
        return r;
    }

    @Inject
    PolicyHolder policies;

    @AfterEach
    void deleteWhatTheTestCreated() {
        created.forEach(Resource::delete);
        created.clear();
        await().atMost(IN_FORCE_WITHIN).until(() -> policies.current().source().startsWith("packaged"));
    }

    private ClusterView cluster() {
        return watch.current();
    }

    private JsonPath post(String webhook, Admission admission) {
        return Https.to(https).body(Reviews.of(admission)).post("/" + webhook).then().statusCode(200).extract()
                .jsonPath();
    }

    private static List<String> warnings(JsonPath answer) {
        List<String> warnings = answer.getList("response.warnings", String.class);
        return warnings == null ? List.of() : warnings;
    }

    @Test
    void the_server_hands_the_engine_the_informer_caches_which_answer_every_question_the_engine_asks() {
        assertThat(cluster()).isInstanceOf(dev.haguard.cluster.ClusterCache.class);
        List<String> unanswered = new ArrayList<>();
        for (Method m : ClusterView.class.getMethods()) {
            // derived() asks nothing of the cluster: made on each call is what a cache that changes between calls needs.
            if (m.isDefault() && !Modifier.isStatic(m.getModifiers()) && !m.getName().equals("derived")) {
                try {
                    dev.haguard.cluster.ClusterCache.class.getDeclaredMethod(m.getName(), m.getParameterTypes());
                } catch (NoSuchMethodException e) {
                    unanswered.add(m.getName());
                }
            }
        }
        assertThat(unanswered).as("ClusterView questions the cache leaves to the 'not known' default").isEmpty();
    }

    @Test
    void a_namespace_label_from_the_cache_chooses_the_policy_override() {
        create(new NamespaceBuilder().withNewMetadata().withName("lab2").addToLabels("tier", "relaxed").endMetadata()
                .build());
        Admission web = Admissions.create(deployment("lab2", "web", 1));
        assertThat(post("validate", web).getBoolean("response.allowed")).isFalse();

        create(new ConfigMapBuilder().withNewMetadata().withName("ha-guard-policies").withNamespace("ha-guard")
                .endMetadata().withData(Map.of("policy.yaml", "version: 1\noverrides:\n  - name: relaxed\n"
                        + "    match: {namespaceLabels: {tier: relaxed}}\n    rules: {minReplicas: {mode: warn}}\n"))
                .build());
        await().atMost(IN_FORCE_WITHIN).until(() -> post("validate", web).getBoolean("response.allowed"));

        assertThat(cluster().namespaceLabels("lab2")).containsEntry("tier", "relaxed");
        assertThat(warnings(post("validate", web))).anySatisfy(w -> assertThat(w).contains("[minReplicas]",
                "(warn mode)", "policy override \"relaxed\""));
    }

    @Test
    void an_hpa_from_the_cache_takes_over_minreplicas_and_asks_for_readiness_probes() {
        Deployment web = deployment("lab5", "web", 1);
        assertThat(post("validate", Admissions.create(web)).getBoolean("response.allowed")).isFalse();

        create(new HorizontalPodAutoscalerBuilder().withNewMetadata().withName("web-hpa").withNamespace("lab5")
                .endMetadata().withNewSpec().withMinReplicas(2).withMaxReplicas(5).withNewScaleTargetRef()
                .withApiVersion("apps/v1").withKind("Deployment").withName("web").endScaleTargetRef().endSpec().build());
        await().atMost(IN_FORCE_WITHIN).until(() -> cluster().autoscaler("lab5", "Deployment", "web").isPresent());
        assertThat(cluster().autoscaled()).hasValueSatisfying(m -> assertThat(m).containsEntry("lab5/Deployment/web",
                "web-hpa"));

        JsonPath answer = post("validate", Admissions.create(web));
        assertThat(answer.getBoolean("response.allowed")).as("the HPA sizes it; its minReplicas is judged instead")
                .isTrue();
        assertThat(warnings(answer)).as("an HPA-scaled workload needs probes whatever its own count")
                .anySatisfy(w -> assertThat(w).contains("[readinessProbes]", "is scaled by HorizontalPodAutoscaler web-hpa"));
    }

    @Test
    void a_zone_label_most_nodes_lack_is_injected_relaxed() {
        String zone = "topology.kubernetes.io/zone";
        create(node("worker-a").editMetadata().addToLabels(zone, "a").endMetadata().build());
        create(node("worker-b").build());
        create(node("control-plane").withNewSpec().addNewTaint().withKey("node-role.kubernetes.io/control-plane")
                .withEffect("NoSchedule").endTaint().endSpec().build());
        create(node("cordoned").withNewSpec().withUnschedulable(true).endSpec().build());
        await().atMost(IN_FORCE_WITHIN).until(() -> cluster().nodesWithout(zone).equals(Optional.of(
                new ClusterView.Nodes(2, 1))));
        assertThat(cluster().nodesWithout("kubernetes.io/hostname")).contains(new ClusterView.Nodes(2, 0));

        var pod = new PodBuilder().withNewMetadata().withName("web-1").withNamespace("lab4").addToLabels("app", "web")
                .endMetadata().withNewSpec().addNewContainer().withName("web").withImage("nginx:1.27").endContainer()
                .endSpec().build();
        JsonPath answer = post("mutate", Admissions.create(pod));

        assertThat(warnings(answer)).anySatisfy(w -> assertThat(w).contains("[topologySpread]", zone,
                "ScheduleAnyway"));
    }

    @Test
    void a_budget_is_judged_against_the_cached_workloads_and_a_workload_against_the_cached_budgets() {
        create(deployment("lab3", "web", 2));
        await().atMost(IN_FORCE_WITHIN).until(() -> cluster().workloads("lab3").map(List::size).orElse(0) == 1);
        var blocking = new PodDisruptionBudgetBuilder().withNewMetadata().withName("web").withNamespace("lab3")
                .endMetadata().withNewSpec().withNewMaxUnavailable(0).withNewSelector().addToMatchLabels("app", "web")
                .endSelector().endSpec().build();

        JsonPath onBudget = post("validate", Admissions.create(blocking));
        assertThat(onBudget.getBoolean("response.allowed")).as("warn mode").isTrue();
        assertThat(warnings(onBudget)).anySatisfy(w -> assertThat(w).contains("[disruptionBudgets]",
                "allows no voluntary eviction of Deployment web at 2 replicas"));

        create(blocking);
        await().atMost(IN_FORCE_WITHIN).until(() -> cluster().disruptionBudgets("lab3").map(List::size).orElse(0) == 1);
        JsonPath onWorkload = post("validate", Admissions.create(deployment("lab3", "web", 3)));
        assertThat(warnings(onWorkload)).anySatisfy(w -> assertThat(w).contains("[disruptionBudgets]",
                "PodDisruptionBudget web"));
    }

    @Test
    void data_is_judged_against_velero_and_the_namespaces_own_objectives() {
        create(new NamespaceBuilder().withNewMetadata().withName("vault").addToAnnotations("haguard.dev/rpo", "4h")
                .endMetadata().build());
        await().atMost(IN_FORCE_WITHIN).until(() -> cluster().backups().isPresent()
                && cluster().namespaceAnnotations("vault").containsKey("haguard.dev/rpo"));
        var database = new StatefulSetBuilder().withNewMetadata().withName("pg").withNamespace("vault").endMetadata()
                .withNewSpec().withReplicas(3).withNewSelector().addToMatchLabels("app", "pg").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "pg").endMetadata().withNewSpec()
                .addNewContainer().withName("pg").withImage("postgres:16").endContainer().endSpec().endTemplate()
                .addNewVolumeClaimTemplate().withNewMetadata().withName("data").endMetadata().endVolumeClaimTemplate()
                .endSpec().build();

        JsonPath answer = post("validate", Admissions.create(database));

        assertThat(warnings(answer)).as("the RPO comes from the namespace's annotation, read from the cache")
                .anySatisfy(w -> assertThat(w).contains("[backups]", "keeps data in namespace vault",
                        "Velero is not installed", "\"schedule\":\"0 */4 * * *\""));
    }

    @Test
    void deleting_the_schedule_that_backs_up_a_namespace_with_data_names_it() throws Exception {
        create(new NamespaceBuilder().withNewMetadata().withName("ledger").endMetadata().build());
        create(new PersistentVolumeClaimBuilder().withNewMetadata().withName("books").withNamespace("ledger")
                .endMetadata().build());
        await().atMost(IN_FORCE_WITHIN).until(() -> cluster().namespacesWithData().map(n -> n.contains("ledger"))
                .orElse(false) && cluster().backups().isPresent());
        GenericKubernetesResource nightly = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readValue("""
                apiVersion: velero.io/v1
                kind: Schedule
                metadata: {name: nightly, namespace: velero}
                spec: {schedule: '0 2 * * *', template: {includedNamespaces: [ledger]}}
                """, GenericKubernetesResource.class);
        Admission delete = Admissions.of(Operation.DELETE, null, nightly, "");
        delete = new Admission(delete.uid(), delete.operation(), new Admission.Target("velero.io", "v1", "Schedule",
                "schedules", ""), "velero", "nightly", false, delete.user(), null, nightly);

        JsonPath answer = post("validate", delete);

        assertThat(warnings(answer)).anySatisfy(w -> assertThat(w).contains("[backups]", "Deleting Schedule velero/nightly",
                "ledger (no Velero Schedule backs up its data)"));
    }

    private static Deployment deployment(String namespace, String name, int replicas) {
        return new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata().withNewSpec()
                .addNewContainer().withName(name).withImage("nginx:1.27").endContainer().endSpec().endTemplate()
                .endSpec().build();
    }

    private static NodeBuilder node(String name) {
        return new NodeBuilder().withNewMetadata().withName(name).addToLabels("kubernetes.io/hostname", name)
                .endMetadata();
    }
}

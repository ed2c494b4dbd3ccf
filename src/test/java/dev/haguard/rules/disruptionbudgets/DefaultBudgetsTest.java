package dev.haguard.rules.disruptionbudgets;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.haguard.engine.Stored;
import dev.haguard.policy.Policy;
import dev.haguard.rules.StandardRules;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which default PodDisruptionBudgets ha-guard wants, from stored state and the policy: the cases Kyverno's
 * create-default-pdb users found wrong (kyverno/policies#1133: an existing budget, a single replica, several budgets)
 * among them. {@code DefaultBudgetsServerTest} writes them through the running server.
 */
public class DefaultBudgetsTest {

    /** A policy that asks for default budgets in namespace shop (DefaultBudgetsServerTest writes it too). */
    public static final String ASKED = """
            version: 1
            overrides:
              - name: shop
                match: {namespaces: [shop]}
                rules:
                  disruptionBudgets: {createDefault: true}
            """;

    private static Policy policy(String text) {
        StandardRules standard = new StandardRules(dev.haguard.policy.PolicyConfigMap.DEFAULT, "ha-guard");
        return standard.parser().parse(text, "test");
    }

    private static String deployment(String namespace, String name, int replicas) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: %s, namespace: %s, uid: uid-%s}
                spec:
                  replicas: %d
                  selector: {matchLabels: {app: %s}}
                  template:
                    metadata: {labels: {app: %s, tier: web}}
                    spec: {containers: [{name: c, image: "registry.example/x:1.0"}]}
                """.formatted(name, namespace, name, replicas, name, name);
    }

    private static String budget(String namespace, String name, String selector, boolean ours) {
        return """
                apiVersion: policy/v1
                kind: PodDisruptionBudget
                metadata:
                  name: %s
                  namespace: %s
                  labels: %s
                  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: uid-web}]
                spec: {maxUnavailable: 1, selector: %s}
                """.formatted(name, namespace, ours ? "{haguard.dev/default-budget: 'true', app.kubernetes.io/managed-by: "
                + "ha-guard}" : "{}", selector);
    }

    private static DefaultBudgets.Plan plan(String policy, String... objects) throws Exception {
        List<JsonNode> all = new ArrayList<>();
        for (String o : objects) {
            all.add(new YAMLMapper().readTree(o));
        }
        return DefaultBudgets.plan(new Stored(all, Instant.now(), null), policy(policy));
    }

    @Test
    void a_replicated_workload_without_a_budget_gets_one_that_never_blocks_a_drain_owned_by_it() throws Exception {
        DefaultBudgets.Plan plan = plan(ASKED, deployment("shop", "web", 3), deployment("other", "web", 3));

        assertThat(plan.create()).hasSize(1);
        var pdb = plan.create().get(0).toObject();
        assertThat(pdb.getMetadata().getNamespace()).as("only where a scope asks").isEqualTo("shop");
        assertThat(pdb.getMetadata().getName()).isEqualTo("ha-guard-deployment-web");
        assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(pdb.getSpec().getMinAvailable()).isNull();
        assertThat(pdb.getSpec().getSelector().getMatchLabels()).containsEntry("app", "web");
        assertThat(pdb.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
            assertThat(o.getKind()).isEqualTo("Deployment");
            assertThat(o.getUid()).isEqualTo("uid-web");
            assertThat(o.getBlockOwnerDeletion()).isNull();
        });
        assertThat(DefaultBudgets.isDefault(pdb.getMetadata().getLabels())).isTrue();
    }

    @Test
    void nothing_is_made_unless_the_policy_asks() throws Exception {
        assertThat(plan("version: 1\n", deployment("shop", "web", 3)).isEmpty()).isTrue();
    }

    @Test
    void a_single_replica_gets_none_unless_its_autoscaler_keeps_two() throws Exception {
        String hpa = """
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: web, namespace: shop}
                spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}, minReplicas: %d, maxReplicas: 5}
                """;

        assertThat(plan(ASKED, deployment("shop", "web", 1)).isEmpty()).isTrue();
        assertThat(plan(ASKED, deployment("shop", "web", 1), hpa.formatted(2)).create()).hasSize(1);
        assertThat(plan(ASKED, deployment("shop", "web", 4), hpa.formatted(1)).isEmpty())
                .as("the autoscaler may take it to one").isTrue();
    }

    @Test
    void an_existing_budget_or_several_are_left_as_they_are_and_none_is_added() throws Exception {
        String theirs = budget("shop", "web", "{matchLabels: {app: web}}", false);
        String broad = budget("shop", "tier", "{matchExpressions: [{key: tier, operator: In, values: [web]}]}", false);

        assertThat(plan(ASKED, deployment("shop", "web", 3), theirs).isEmpty()).isTrue();
        assertThat(plan(ASKED, deployment("shop", "web", 3), theirs, broad).isEmpty())
                .as("two budgets already: a third would not help, and theirs are not ha-guard's to change").isTrue();
    }

    @Test
    void its_own_budget_is_deleted_once_another_selects_the_pods_or_the_policy_stops_asking() throws Exception {
        String ours = budget("shop", "ha-guard-deployment-web", "{matchLabels: {app: web}}", true);
        String theirs = budget("shop", "web", "{matchLabels: {app: web}}", false);

        assertThat(plan(ASKED, deployment("shop", "web", 3), ours).isEmpty()).as("already as wanted").isTrue();
        assertThat(plan(ASKED, deployment("shop", "web", 3), ours, theirs).delete())
                .as("two budgets on one pod block its eviction").containsExactly("shop/ha-guard-deployment-web");
        assertThat(plan("version: 1\n", deployment("shop", "web", 3), ours).delete())
                .containsExactly("shop/ha-guard-deployment-web");
        assertThat(plan(ASKED, deployment("shop", "web", 1), ours).delete()).as("scaled to one")
                .containsExactly("shop/ha-guard-deployment-web");
        assertThat(plan(ASKED, ours).delete()).as("its workload is gone").containsExactly("shop/ha-guard-deployment-web");
    }

    @Test
    void its_own_budget_edited_is_set_back_and_one_of_that_name_not_its_own_is_never_touched() throws Exception {
        String edited = budget("shop", "ha-guard-deployment-web", "{matchLabels: {app: web}}", true)
                .replace("maxUnavailable: 1", "minAvailable: 3");
        String squatter = budget("shop", "ha-guard-deployment-web", "{matchLabels: {app: other}}", false);

        assertThat(plan(ASKED, deployment("shop", "web", 3), edited).update()).hasSize(1);
        DefaultBudgets.Plan beside = plan(ASKED, deployment("shop", "web", 3), squatter);
        assertThat(beside.isEmpty()).as("a budget of that name that is not ha-guard's: neither replaced nor deleted")
                .isTrue();
    }

    @Test
    void a_workload_whose_selector_reaches_another_workloads_pods_gets_none() throws Exception {
        // web selects every tier: web pod, canary's too: its budget would be a second one on canary's pods.
        String web = deployment("shop", "web", 3).replace("selector: {matchLabels: {app: web}}",
                "selector: {matchLabels: {tier: web}}");
        String ours = budget("shop", "ha-guard-deployment-web", "{matchLabels: {tier: web}}", true);

        DefaultBudgets.Plan fresh = plan(ASKED, web, deployment("shop", "canary", 2));
        assertThat(fresh.create()).extracting(DefaultBudgets.Budget::name).containsExactly("ha-guard-deployment-canary");
        DefaultBudgets.Plan after = plan(ASKED, web, deployment("shop", "canary", 2), ours);
        assertThat(after.delete()).containsExactly("shop/ha-guard-deployment-web");
        assertThat(after.create()).as("canary's comes once web's is gone: never two on one pod meanwhile").isEmpty();
    }

    @Test
    void an_exempt_namespace_gets_none() throws Exception {
        String everywhere = ASKED.replace("match: {namespaces: [shop]}", "match: {namespaces: ['*']}");

        assertThat(plan(everywhere, deployment("kube-system", "dns", 2)).isEmpty()).isTrue();
        assertThat(plan(everywhere, deployment("shop", "web", 2)).create()).hasSize(1);
    }
}

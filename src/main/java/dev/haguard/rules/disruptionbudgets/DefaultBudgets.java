package dev.haguard.rules.disruptionbudgets;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haguard.engine.Rule;
import dev.haguard.engine.Stored;
import dev.haguard.json.Json;
import dev.haguard.policy.Policy;
import dev.haguard.rules.common.LabelsIndex;
import dev.haguard.rules.common.SelectorIndex;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The PodDisruptionBudgets ha-guard gives, where a scope of the policy asks ({@code createDefault: true}), to each
 * Deployment and StatefulSet of 2 or more replicas (or an HPA minimum of 2 or more) that no other budget selects:
 * {@code maxUnavailable: 1}, which never blocks a drain; owned by the workload (an ownerReference), so that the garbage
 * collector deletes it with its workload. A budget is ha-guard's only when it carries {@link #LABEL}; no other is ever
 * changed or deleted. When another budget comes to select the workload's pods, ha-guard's is deleted, since the eviction
 * API refuses to evict a pod that two budgets select (kyverno/policies#1133: a default budget beside an existing one,
 * and one that blocks a single replica, are what its users found wrong).
 */
public final class DefaultBudgets {

    /** Marks a budget ha-guard made, and so may change or delete. */
    public static final String LABEL = "haguard.dev/default-budget";
    static final String MANAGED_BY = "app.kubernetes.io/managed-by";

    private DefaultBudgets() {
    }

    /** A budget ha-guard wants, and what it protects. */
    public record Budget(String namespace, String name, String ownerKind, String ownerName, String ownerUid,
            JsonNode selector) {

        /** As written to the API server. */
        public PodDisruptionBudget toObject() {
            // blockOwnerDeletion stays unset: with it, the API server's OwnerReferencesPermissionEnforcement would ask
            // for update on the workload's finalizers, and background deletion removes the budget all the same.
            return new PodDisruptionBudgetBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                    .addToLabels(LABEL, "true").addToLabels(MANAGED_BY, "ha-guard").addNewOwnerReference()
                    .withApiVersion("apps/v1").withKind(ownerKind).withName(ownerName).withUid(ownerUid)
                    .endOwnerReference().endMetadata().withNewSpec().withMaxUnavailable(new IntOrString(1))
                    .withSelector(Json.KUBE.convertValue(selector, LabelSelector.class)).endSpec().build();
        }
    }

    /** What to write so that the cluster holds exactly the budgets wanted: the budgets to delete as namespace/name. */
    public record Plan(List<Budget> create, List<Budget> update, List<String> delete) {
        public boolean isEmpty() {
            return create.isEmpty() && update.isEmpty() && delete.isEmpty();
        }
    }

    /** Whether a budget is one ha-guard made. */
    public static boolean isDefault(Map<String, String> labels) {
        return labels != null && "true".equals(labels.get(LABEL)) && "ha-guard".equals(labels.get(MANAGED_BY));
    }

    /** Whether any scope of {@code policy} asks for budgets: else only ha-guard's own are looked for, to delete. */
    public static boolean asked(Policy policy) {
        return policy.defaults().get(DisruptionBudgetsRule.SETTINGS).creates() || policy.overrides().stream()
                .anyMatch(o -> o.rules().get(DisruptionBudgetsRule.SETTINGS).creates());
    }

    /**
     * The writes that bring the budgets in {@code stored} to those {@code policy} asks for. A workload gets one only
     * where no budget selects its pods and its selector selects no other workload's pods (two budgets on one pod block
     * its eviction). Neither is judged by trying every budget against every workload: selectors and workloads' pod
     * labels are indexed.
     */
    public static Plan plan(Stored stored, Policy policy) {
        Rule.ScopedSettings<DisruptionBudgetsConfig> settings = Rule.ScopedSettings.of(new DisruptionBudgetsRule(),
                stored, policy);
        Map<String, JsonNode> ours = new HashMap<>();
        SelectorsByNamespace theirs = new SelectorsByNamespace();
        java.util.Set<String> names = new java.util.HashSet<>();
        for (JsonNode b : stored.of("PodDisruptionBudget")) {
            String key = b.path("metadata").path("namespace").asText() + "/" + b.path("metadata").path("name").asText();
            if (isDefault(Stored.strings(b.path("metadata").path("labels")))) {
                ours.put(key, b);
            } else {
                theirs.add(key, b.path("spec").path("selector"));
                names.add(key);
            }
        }
        List<Budget> create = new ArrayList<>();
        List<Budget> update = new ArrayList<>();
        if (asked(policy)) {
            SelectorsByNamespace mine = new SelectorsByNamespace(); // ha-guard's, as they stand and as planned this round
            ours.forEach((key, b) -> mine.add(key, b.path("spec").path("selector")));
            Map<String, Integer> autoscaled = autoscalerMinimums(stored);
            PodsIndex pods = new PodsIndex(stored);
            for (String kind : List.of("Deployment", "StatefulSet")) {
                for (JsonNode w : stored.of(kind)) {
                    Budget wanted = wanted(w, kind, settings, autoscaled);
                    if (wanted == null) {
                        continue;
                    }
                    String key = wanted.namespace() + "/" + wanted.name();
                    Map<String, String> podLabels = Stored.strings(w.path("spec").path("template").path("metadata")
                            .path("labels"));
                    if (pods.othersSelected(wanted) || theirs.selects(wanted.namespace(), podLabels, null)
                            || mine.selects(wanted.namespace(), podLabels, key)) {
                        continue;
                    }
                    mine.add(key, wanted.selector());
                    JsonNode have = ours.remove(key);
                    if (have == null) {
                        if (!names.contains(key)) { // a budget of that name that is not ours is never touched
                            create.add(wanted);
                        }
                    } else if (!same(have, wanted)) {
                        update.add(wanted);
                    }
                }
            }
        }
        return new Plan(List.copyOf(create), List.copyOf(update), ours.keySet().stream().sorted().toList());
    }

    /** The budget a workload in scope with 2 or more replicas would have from ha-guard, before any overlap; or null. */
    private static Budget wanted(JsonNode w, String kind, Rule.ScopedSettings<DisruptionBudgetsConfig> settings,
            Map<String, Integer> autoscaled) {
        JsonNode meta = w.path("metadata");
        String ns = meta.path("namespace").asText();
        String name = meta.path("name").asText();
        JsonNode selector = w.path("spec").path("selector");
        if (meta.has("deletionTimestamp") || selector.isMissingNode() || selector.isEmpty()) {
            return null;
        }
        DisruptionBudgetsConfig config = settings.at(ns, Stored.strings(meta.path("labels")));
        if (config == null || !config.creates()) {
            return null;
        }
        // An HPA's minimum, where one scales it; one replica: a budget could only block its drain or protect nothing.
        Integer minimum = autoscaled.get(ns + "/" + kind + "/" + name);
        if ((minimum != null ? minimum : w.path("spec").path("replicas").asInt(1)) < 2) {
            return null;
        }
        String budgetName = "ha-guard-" + kind.toLowerCase(java.util.Locale.ROOT) + "-" + name;
        return budgetName.length() > 253 ? null
                : new Budget(ns, budgetName, kind, name, meta.path("uid").asText(), selector);
    }

    /** A budget's selector, typed; null for a null selector, which selects nothing. */
    private record Selecting(String key, LabelSelector selector) {
    }

    /** Budgets' selectors by namespace, each namespace's indexed ({@link SelectorIndex}). */
    private static final class SelectorsByNamespace {
        private final Map<String, SelectorIndex<Selecting>> byNamespace = new HashMap<>();

        /** {@code key} is namespace/name. */
        void add(String key, JsonNode selector) {
            LabelSelector typed = selector.isObject() ? Json.KUBE.convertValue(selector, LabelSelector.class) : null;
            byNamespace.computeIfAbsent(key.substring(0, key.indexOf('/')), k -> new SelectorIndex<>(
                    Selecting::selector)).add(new Selecting(key, typed));
        }

        /** Whether one of them in {@code ns}, other than {@code except}, selects a pod with {@code labels}. */
        boolean selects(String ns, Map<String, String> labels, String except) {
            SelectorIndex<Selecting> in = byNamespace.get(ns);
            return in != null && in.selecting(labels).stream().anyMatch(e -> !e.key().equals(except));
        }
    }

    /** The Deployments' and StatefulSets' pod labels by namespace, each namespace's indexed ({@link LabelsIndex}). */
    private static final class PodsIndex {
        private record Pods(String workload, Map<String, String> labels) {
        }

        private final Map<String, LabelsIndex<Pods>> byNamespace = new HashMap<>();

        PodsIndex(Stored stored) {
            for (String kind : List.of("Deployment", "StatefulSet")) {
                for (JsonNode w : stored.of(kind)) {
                    byNamespace.computeIfAbsent(w.path("metadata").path("namespace").asText(), k -> new LabelsIndex<>(
                            Pods::labels)).add(new Pods(kind + "/" + w.path("metadata").path("name").asText(),
                            Stored.strings(w.path("spec").path("template").path("metadata").path("labels"))));
                }
            }
        }

        /** Whether the budget's selector selects the pods of a workload other than its own. */
        boolean othersSelected(Budget budget) {
            LabelsIndex<Pods> in = byNamespace.get(budget.namespace());
            String own = budget.ownerKind() + "/" + budget.ownerName();
            return in != null && in.selectedBy(Json.KUBE.convertValue(budget.selector(), LabelSelector.class)).stream()
                    .anyMatch(p -> !p.workload().equals(own));
        }
    }

    private static boolean same(JsonNode have, Budget wanted) {
        JsonNode spec = have.path("spec");
        JsonNode owner = have.path("metadata").path("ownerReferences").path(0);
        return spec.path("maxUnavailable").asText().equals("1") && !spec.has("minAvailable")
                && spec.path("selector").equals(wanted.selector()) && owner.path("uid").asText().equals(
                wanted.ownerUid()) && have.path("metadata").path("ownerReferences").size() == 1;
    }

    /** The HPAs' minReplicas (default 1) by "namespace/Kind/name" of what they scale. */
    private static Map<String, Integer> autoscalerMinimums(Stored stored) {
        Map<String, Integer> out = new HashMap<>();
        for (JsonNode h : stored.of("HorizontalPodAutoscaler")) {
            JsonNode target = h.path("spec").path("scaleTargetRef");
            out.put(h.path("metadata").path("namespace").asText() + "/" + target.path("kind").asText() + "/"
                    + target.path("name").asText(), h.path("spec").path("minReplicas").asInt(1));
        }
        return out;
    }
}

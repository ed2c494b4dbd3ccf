package dev.haguard.rules.disruptionbudgets;

import dev.haguard.engine.ClusterView;
import dev.haguard.engine.ClusterView.Workload;
import dev.haguard.rules.common.LabelsIndex;
import dev.haguard.rules.common.SelectorIndex;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A view's budgets and workloads, indexed per namespace when the namespace is first asked for: which budgets select a
 * workload's pods, which workloads a budget selects. A scan keeps one for all its objects ({@link ClusterView#derived}),
 * so a namespace of thousands of workloads and budgets is not matched each against each.
 */
final class BudgetIndex {

    private final ClusterView cluster;
    private final Map<String, Optional<SelectorIndex<PodDisruptionBudget>>> budgets = new HashMap<>();
    private final Map<String, Optional<LabelsIndex<Workload>>> workloads = new HashMap<>();

    BudgetIndex(ClusterView cluster) {
        this.cluster = cluster;
    }

    /** Whether the namespace's budgets are known (the view has them): read, and indexed, once. */
    boolean budgetsKnown(String namespace) {
        return budgets(namespace).isPresent();
    }

    /** The namespace's budgets that select pods with {@code podLabels}, in the view's order; empty when not known. */
    Optional<List<PodDisruptionBudget>> selecting(String namespace, Map<String, String> podLabels) {
        return budgets(namespace).map(index -> index.selecting(podLabels));
    }

    private Optional<SelectorIndex<PodDisruptionBudget>> budgets(String namespace) {
        return budgets.computeIfAbsent(namespace, ns -> cluster.disruptionBudgets(ns).map(all -> {
            SelectorIndex<PodDisruptionBudget> index = new SelectorIndex<>(b -> b.getSpec() == null ? null
                    : b.getSpec().getSelector());
            all.forEach(index::add);
            return index;
        }));
    }

    /** The namespace's workloads whose pods {@code selector} selects, in the view's order; empty when not known. */
    Optional<List<Workload>> selectedBy(String namespace, LabelSelector selector) {
        return workloads.computeIfAbsent(namespace, ns -> cluster.workloads(ns).map(all -> {
            LabelsIndex<Workload> index = new LabelsIndex<>(Workload::podLabels);
            all.forEach(index::add);
            return index;
        })).map(index -> index.selectedBy(selector));
    }
}

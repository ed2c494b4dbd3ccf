package dev.haguard.rules.disruptionbudgets;

import java.util.Set;
import dev.haguard.rules.common.ApiKinds;
import dev.haguard.engine.ApiKind;
import dev.haguard.engine.Admission;
import dev.haguard.engine.ClusterView;
import dev.haguard.engine.Coverage;
import dev.haguard.engine.Finding;
import dev.haguard.engine.Rule;
import dev.haguard.engine.RuleContext;
import dev.haguard.engine.Webhook;
import dev.haguard.engine.StateFinding;
import dev.haguard.engine.Stored;
import com.fasterxml.jackson.databind.JsonNode;
import dev.haguard.policy.RuleSettings;
import dev.haguard.rules.common.Selectors;
import dev.haguard.rules.common.Workloads;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Disruption budgets that protect availability without blocking node drains. A Deployment or StatefulSet with 2 or
 * more replicas (or an HPA minimum of 2 or more) needs exactly one PodDisruptionBudget selecting its pods, and that
 * budget must allow at least one voluntary eviction at its replica count (at the HPA's minReplicas and maxReplicas
 * too): one that allows none blocks every node drain and cluster upgrade, and a pod two budgets select cannot be
 * evicted at all (the eviction API refuses it). A PodDisruptionBudget is judged against the workloads it selects,
 * from the cluster view's caches. Nothing is judged where the budgets are not known.
 */
public final class DisruptionBudgetsRule implements Rule<DisruptionBudgetsConfig> {

    /** Its key in the policy, its settings and the settings where a policy says nothing. */
    public static final RuleSettings<DisruptionBudgetsConfig> SETTINGS = RuleSettings.of("disruptionBudgets",
            DisruptionBudgetsConfig.class, DisruptionBudgetsConfig.BUILT_IN);

    @Override
    public String notInCel() {
        return "it judges an object against others (budgets against workloads), which a "
                + "ValidatingAdmissionPolicy cannot read";
    }

    @Override
    public List<ApiKind> judges() {
        return List.of(ApiKinds.DEPLOYMENT, ApiKinds.STATEFUL_SET, ApiKinds.POD_DISRUPTION_BUDGET);
    }

    @Override
    public Set<ClusterView.Need> clusterNeeds() {
        return Set.of(ClusterView.Need.BUDGETS, ClusterView.Need.WORKLOADS, ClusterView.Need.AUTOSCALERS);
    }

    @Override
    public RuleSettings<DisruptionBudgetsConfig> settings() {
        return SETTINGS;
    }

    @Override
    public List<Coverage> coverage() {
        return List.of(new Coverage(Webhook.VALIDATE, "apps", "deployments", Coverage.WRITES),
                new Coverage(Webhook.VALIDATE, "apps", "statefulsets", Coverage.WRITES),
                new Coverage(Webhook.VALIDATE, "policy", "poddisruptionbudgets", Coverage.WRITES));
    }

    @Override
    public Finding evaluate(RuleContext context, DisruptionBudgetsConfig config) {
        Admission a = context.admission();
        BudgetIndex index = context.cluster().derived(BudgetIndex.class, BudgetIndex::new);
        if (!index.budgetsKnown(a.namespace())) {
            return Finding.skip("the namespace's PodDisruptionBudgets are not known (no cluster cache)");
        }
        if (context.target() instanceof PodDisruptionBudget pdb) {
            return budget(context, pdb, index);
        }
        return workload(context, index);
    }

    private Finding workload(RuleContext context, BudgetIndex index) {
        HasMetadata workload = context.target();
        if (!(workload instanceof Deployment || workload instanceof StatefulSet)) {
            return Finding.skip("not a Deployment or StatefulSet");
        }
        Admission a = context.admission();
        String name = workload.getMetadata().getName();
        int replicas = Workloads.replicas(workload).orElse(1);
        Optional<ClusterView.Range> hpa = context.cluster().autoscalerRange(a.namespace(), a.kind(), name);
        List<Integer> counts = hpa.map(r -> List.of(r.min(), r.max())).orElse(List.of(replicas));
        if (counts.stream().allMatch(c -> c < 2)) {
            return Finding.skip("fewer than 2 replicas: no budget can keep a pod up through a drain without blocking it");
        }
        Map<String, String> labels = Workloads.template(workload).map(PodTemplateSpec::getMetadata)
                .map(m -> m.getLabels() == null ? Map.<String, String>of() : m.getLabels()).orElse(Map.of());
        List<PodDisruptionBudget> selecting = withoutDefaults(index.selecting(a.namespace(), labels).orElse(List.of()));
        String runs = hpa.isPresent() ? "is scaled between " + hpa.get().min() + " and " + hpa.get().max()
                + " replicas by an HPA" : "runs " + replicas + " replicas";
        String pods = labels.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining(", ", "{", "}"));
        if (selecting.isEmpty()) {
            return Finding.violation(runs + " and no PodDisruptionBudget selects its pods, so a node drain or cluster "
                    + "upgrade may evict them all at once. Fix: add a PodDisruptionBudget with maxUnavailable: 1 and "
                    + "selector: {matchLabels: " + pods + "}.");
        }
        if (selecting.size() > 1) {
            return Finding.violation(overlap(selecting));
        }
        PodDisruptionBudget pdb = selecting.get(0);
        String blocked = blocking(pdb, counts);
        if (blocked == null) {
            return Finding.pass();
        }
        String found = runs + " and PodDisruptionBudget " + pdb.getMetadata().getName() + " (" + Budgets.describe(pdb)
                + ") allows no voluntary eviction at " + blocked;
        String budget = key("PodDisruptionBudget", a.namespace(), pdb.getMetadata().getName());
        if (a.isUpdate() && a.oldObject() != null && sameVerdict(a.oldObject(), pdb, context, counts)) {
            return Finding.notice(found + " (already so before this change, so it is admitted). " + fix(pdb))
                    .with(Finding.CONCERNS, budget);
        }
        return Finding.violation(found + ", so every node drain and cluster upgrade blocks on these pods. " + fix(pdb))
                .with(Finding.CONCERNS, budget);
    }

    private static boolean sameVerdict(HasMetadata old, PodDisruptionBudget pdb, RuleContext context, List<Integer> now) {
        if (context.cluster().autoscalerRange(context.admission().namespace(), context.admission().kind(),
                old.getMetadata().getName()).isPresent()) {
            return true; // the HPA's range did not change with this request
        }
        return blocking(pdb, List.of(Workloads.replicas(old).orElse(1))) != null;
    }

    private Finding budget(RuleContext context, PodDisruptionBudget pdb, BudgetIndex index) {
        Admission a = context.admission();
        var selector = pdb.getSpec() == null ? null : pdb.getSpec().getSelector();
        Optional<List<ClusterView.Workload>> known = index.selectedBy(a.namespace(), selector);
        if (known.isEmpty()) {
            return Finding.skip("the namespace's Deployments and StatefulSets are not known (no cluster cache)");
        }
        List<ClusterView.Workload> selected = known.get();
        if (selected.isEmpty()) {
            // Its pods may well exist: an operator makes its own StatefulSets (Prometheus, Alertmanager), a DaemonSet or
            // a manifest elsewhere may own them. A note, not a fix that rewrites what may be a correct selector.
            return Finding.notice("selects the pods of no Deployment or StatefulSet known in " + a.namespace()
                    + " (selector " + Selectors.describe(selector) + "). If an operator creates its pods (a Prometheus or "
                    + "Alertmanager resource makes its own StatefulSet), or a DaemonSet or another file does, that is as "
                    + "it should be; if it is meant for a Deployment or StatefulSet here, its selector must match that "
                    + "pod template's labels, or it protects nothing.");
        }
        List<String> problems = new ArrayList<>();
        boolean blocks = false;
        String overlapping = null;
        for (ClusterView.Workload w : selected) {
            List<Integer> counts = context.cluster().autoscalerRange(a.namespace(), w.kind(), w.name())
                    .map(r -> List.of(r.min(), r.max())).orElse(List.of(w.replicas()));
            String blocked = blocking(pdb, counts);
            if (blocked != null) {
                blocks = true;
                problems.add("it allows no voluntary eviction of " + w.kind() + " " + w.name() + " at " + blocked
                        + ", so every node drain and cluster upgrade blocks on its pods");
            }
            List<String> others = index.selecting(a.namespace(), w.podLabels()).orElse(List.of()).stream()
                    .filter(b -> !b.getMetadata().getName().equals(pdb.getMetadata().getName()))
                    .filter(b -> !DefaultBudgets.isDefault(b.getMetadata().getLabels()))
                    .map(b -> b.getMetadata().getName()).toList();
            if (!others.isEmpty()) {
                overlapping = overlapping == null ? key(w.kind(), a.namespace(), w.name()) : overlapping;
                problems.add(w.kind() + " " + w.name() + "'s pods are also selected by PodDisruptionBudget "
                        + String.join(", ", others) + ": the eviction API refuses to evict a pod that more than one "
                        + "budget selects, so no drain can move them");
            }
        }
        if (problems.isEmpty()) {
            return Finding.pass();
        }
        Finding found = Finding.violation(Budgets.describe(pdb) + ": " + String.join("; ", problems) + ". " + fix(pdb));
        // A blocking budget is the object to change; an overlap is said on the workload, which names every budget.
        return blocks ? found.with(Finding.CHECK, DRAIN_BLOCKING) : found.with(Finding.CONCERNS, overlapping);
    }

    /**
     * Budgets that select a workload's pods, without ha-guard's own default where another selects them too: the leader
     * deletes its default then (DefaultBudgets), so a user's budget is never judged as overlapping it.
     */
    private static List<PodDisruptionBudget> withoutDefaults(List<PodDisruptionBudget> selecting) {
        List<PodDisruptionBudget> theirs = selecting.stream().filter(b -> !DefaultBudgets.isDefault(b.getMetadata()
                .getLabels())).toList();
        return theirs.isEmpty() ? selecting : theirs;
    }

    static final String DRAIN_BLOCKING = "drain-blocking";

    private static String key(String kind, String namespace, String name) {
        return kind + "/" + namespace + "/" + name;
    }

    /**
     * A budget that allows no eviction right now though all its pods are healthy (its status, as the disruption
     * controller computed it): every drain of their nodes blocks, whatever selects them (an operator's pods too).
     */
    @Override
    public List<StateFinding> judgeStored(Stored stored, ScopedSettings<DisruptionBudgetsConfig> settings) {
        List<StateFinding> found = new ArrayList<>();
        for (JsonNode b : stored.of("PodDisruptionBudget")) {
            JsonNode status = b.path("status");
            int expected = status.path("expectedPods").asInt();
            if (status.has("disruptionsAllowed") && status.path("disruptionsAllowed").asInt() == 0 && expected > 0
                    && status.path("currentHealthy").asInt() >= expected) {
                found.add(new StateFinding(b.path("metadata").path("namespace").asText(), "PodDisruptionBudget",
                        b.path("metadata").path("name").asText(), Finding.Kind.VIOLATION, "allows no disruption right "
                        + "now although all " + expected + " pods are healthy: every drain of their nodes blocks. Fix: "
                        + "maxUnavailable: 1.", DRAIN_BLOCKING));
            }
        }
        return found;
    }

    /** The replica counts at which the budget allows no eviction, as text, or null when it allows one at each. */
    private static String blocking(PodDisruptionBudget pdb, List<Integer> counts) {
        TreeSet<Integer> blocked = counts.stream().filter(c -> c >= 1 && Budgets.allowed(pdb, c) == 0)
                .collect(Collectors.toCollection(TreeSet::new));
        return blocked.isEmpty() ? null : blocked.stream().map(String::valueOf).collect(Collectors.joining(" and "))
                + " replicas";
    }

    private static String overlap(List<PodDisruptionBudget> selecting) {
        return "its pods are selected by PodDisruptionBudgets " + selecting.stream().map(b -> b.getMetadata().getName())
                .collect(Collectors.joining(" and ")) + ": the eviction API refuses to evict a pod that more than one "
                + "budget selects, so every drain of their nodes blocks. Fix: keep one of them, or narrow their selectors "
                + "so that each pod has one budget.";
    }

    private static String fix(PodDisruptionBudget pdb) {
        return "Fix: set maxUnavailable: 1 in PodDisruptionBudget " + pdb.getMetadata().getName()
                + " (instead of " + Budgets.describe(pdb) + "), which keeps all but one pod up during a drain.";
    }
}

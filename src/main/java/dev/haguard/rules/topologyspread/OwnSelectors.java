package dev.haguard.rules.topologyspread;

import dev.haguard.engine.Finding;
import dev.haguard.engine.RuleContext;
import dev.haguard.rules.common.Selectors;
import dev.haguard.rules.common.Workloads;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodAntiAffinity;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Spreading that spreads nothing: a workload's topologySpreadConstraints, or its pod anti-affinity, whose selector
 * matches none of its own pods' labels keeps no two of its replicas apart (kubernetes/website's ZooKeeper example
 * selects app=zk where the pods carry app.kubernetes.io/name: zk). An anti-affinity term may deliberately keep the pods
 * away from others, so one is only named when nothing in the template keeps the workload's own pods apart.
 */
final class OwnSelectors {

    private OwnSelectors() {
    }

    static Finding judge(RuleContext context) {
        HasMetadata workload = context.target();
        int replicas = Workloads.replicas(workload).orElse(1);
        if (Workloads.controller(workload).isPresent()) {
            return Finding.skip("its template comes from its controller, which is judged");
        }
        String kind = context.admission().kind();
        if (replicas < 2 && context.cluster().autoscaler(context.admission().namespace(), kind,
                workload.getMetadata().getName()).isEmpty()) {
            return Finding.skip("fewer than 2 replicas: nothing to keep apart");
        }
        PodTemplateSpec template = Workloads.template(workload).orElse(null);
        if (template == null || template.getSpec() == null) {
            return Finding.skip("no pod template");
        }
        Map<String, String> labels = new TreeMap<>(template.getMetadata() == null || template.getMetadata().getLabels()
                == null ? Map.of() : template.getMetadata().getLabels());
        labels.keySet().removeAll(TopologySpreadRule.PER_POD_LABELS);
        PodSpec spec = template.getSpec();
        List<String> problems = new ArrayList<>();
        boolean apart = false;
        List<TopologySpreadConstraint> constraints = Objects.requireNonNullElse(spec.getTopologySpreadConstraints(),
                List.of());
        for (int i = 0; i < constraints.size(); i++) {
            TopologySpreadConstraint c = constraints.get(i);
            if (Selectors.matches(c.getLabelSelector(), labels)) {
                apart = true;
            } else {
                problems.add("topologySpreadConstraints[" + i + "] on " + c.getTopologyKey() + " selects "
                        + Selectors.describe(c.getLabelSelector()));
            }
        }
        List<String> antiAffinity = new ArrayList<>();
        PodAntiAffinity anti = spec.getAffinity() == null ? null : spec.getAffinity().getPodAntiAffinity();
        if (anti != null) {
            List<PodAffinityTerm> required = Objects.requireNonNullElse(
                    anti.getRequiredDuringSchedulingIgnoredDuringExecution(), List.of());
            List<WeightedPodAffinityTerm> preferred = Objects.requireNonNullElse(
                    anti.getPreferredDuringSchedulingIgnoredDuringExecution(), List.of());
            for (int i = 0; i < required.size(); i++) {
                apart |= term("required", i, required.get(i), labels, antiAffinity);
            }
            for (int i = 0; i < preferred.size(); i++) {
                apart |= term("preferred", i, preferred.get(i).getPodAffinityTerm(), labels, antiAffinity);
            }
        }
        if (!apart) {
            problems.addAll(antiAffinity);
        }
        if (problems.isEmpty()) {
            return Finding.pass();
        }
        String own = labels.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining(", ", "{", "}"));
        return Finding.notice(String.join("; ", problems) + ", which none of its pods' labels " + own + " match, so "
                + (problems.size() == 1 ? "it keeps" : "they keep") + " no two of its replicas apart. Fix: select its own "
                + "pods: labelSelector: {matchLabels: " + own + "}.");
    }

    /**
     * Whether an anti-affinity term keeps the workload's own pods apart; if not, and it looks at the pod's own
     * namespace, it is added to {@code problems}. A term that names other namespaces is about other pods.
     */
    private static boolean term(String which, int i, PodAffinityTerm term, Map<String, String> labels,
            List<String> problems) {
        if (term == null) {
            return false;
        }
        LabelSelector selector = term.getLabelSelector();
        if (Selectors.matches(selector, labels)) {
            return true;
        }
        boolean elsewhere = term.getNamespaceSelector() != null || term.getNamespaces() != null
                && !term.getNamespaces().isEmpty();
        if (!elsewhere) {
            problems.add("podAntiAffinity " + which + " term " + i + " on " + term.getTopologyKey() + " selects "
                    + Selectors.describe(selector));
        }
        return false;
    }
}

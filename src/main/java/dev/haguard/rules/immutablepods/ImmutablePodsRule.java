package dev.haguard.rules.immutablepods;

import dev.haguard.rules.common.ApiKinds;
import dev.haguard.engine.ApiKind;
import dev.haguard.cel.CelBackstop;
import dev.haguard.cel.CelScope;
import dev.haguard.cel.ValidatingPolicies;
import dev.haguard.engine.Admission;
import dev.haguard.engine.Coverage;
import dev.haguard.engine.Finding;
import dev.haguard.engine.Rule;
import dev.haguard.engine.RuleContext;
import dev.haguard.engine.Webhook;
import dev.haguard.policy.RuleSettings;
import dev.haguard.policy.SimpleRuleConfig;
import dev.haguard.rules.common.Changes;
import dev.haguard.rules.common.Workloads;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Objects;

/**
 * A pod is replaced, never edited: in-place changes of a running pod's spec (kubectl set image pod/...,
 * kubectl edit pod) are drift that the next reschedule silently undoes.
 */
public final class ImmutablePodsRule implements Rule<SimpleRuleConfig>,
        CelBackstop<SimpleRuleConfig> {

    /** Its key in the policy, its settings and the settings where a policy says nothing. */
    public static final RuleSettings<SimpleRuleConfig> SETTINGS =
            RuleSettings.of("immutablePods", SimpleRuleConfig.class, SimpleRuleConfig.ENFORCED);

    /** Removed by schedulers' helpers (pod scheduling readiness) through ordinary updates: not drift. */
    private static final List<List<String>> MANAGED = List.of(List.of("schedulingGates"));

    @Override
    public void addTo(CelScope scope, SimpleRuleConfig config, ValidatingPolicies out) {
        ImmutablePodsCel.addTo(scope, config, out);
    }

    @Override
    public List<String> warmUp() {
        return List.of("pod-update-image-in-place.validating.json");
    }

    @Override
    public RuleSettings<SimpleRuleConfig> settings() {
        return SETTINGS;
    }

    @Override
    public List<Coverage> coverage() {
        return List.of(new Coverage(Webhook.VALIDATE, "", "pods", Coverage.UPDATE));
    }

    @Override
    public Finding evaluate(RuleContext context, SimpleRuleConfig config) {
        Admission a = context.admission();
        if (!(a.object() instanceof Pod pod) || !(a.oldObject() instanceof Pod old) || pod.getSpec() == null
                || old.getSpec() == null) {
            return Finding.skip("no pod spec to compare");
        }
        List<String> changed = Changes.between(Changes.without(old.getSpec(), MANAGED),
                Changes.without(pod.getSpec(), MANAGED)).stream().map(p -> "spec." + p).toList();
        if (changed.isEmpty()) {
            return Finding.pass();
        }
        String owner = Workloads.controller(pod).map(o -> o.getKind() + " " + o.getName()).orElse(null);
        return Finding.violation(ImmutablePodsWords.inPlace(pod.getMetadata().getName(), Changes.summary(changed, 8)
                + imageChange(old, pod), owner != null ? ImmutablePodsWords.owned(owner) : ImmutablePodsWords.UNOWNED));
    }

    /** Image references are not secret and are what people look for in this message. */
    private static String imageChange(Pod old, Pod pod) {
        List<Container> before = Objects.requireNonNullElse(old.getSpec().getContainers(), List.of());
        List<Container> after = Objects.requireNonNullElse(pod.getSpec().getContainers(), List.of());
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < Math.min(before.size(), after.size()); i++) {
            if (!Objects.equals(before.get(i).getImage(), after.get(i).getImage())) {
                out.append("; container ").append(after.get(i).getName()).append(" image ")
                        .append(before.get(i).getImage()).append(" -> ").append(after.get(i).getImage());
            }
        }
        return out.toString();
    }
}

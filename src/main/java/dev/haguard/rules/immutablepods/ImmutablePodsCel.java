package dev.haguard.rules.immutablepods;

import static dev.haguard.cel.Cel.concat;
import static dev.haguard.cel.Cel.lit;
import static dev.haguard.cel.Cel.x;

import dev.haguard.cel.CelScope;
import dev.haguard.cel.Cel;
import dev.haguard.cel.ValidatingPolicies;
import java.util.List;

/**
 * immutablePods in CEL, as ImmutablePodsRule judges: an UPDATE of a Pod may not change its spec, except
 * schedulingGates, which the scheduler's helpers remove through ordinary updates. Compared key by key in standard CEL
 * (equality of maps and lists is deep), since CEL cannot drop a key from a map.
 */
final class ImmutablePodsCel {

    static final List<ValidatingPolicies.Resource> RESOURCES = List.of(new ValidatingPolicies.Resource("", "pods", List.of("UPDATE")));

    private ImmutablePodsCel() {
    }

    /** immutablePods' check for one scope. */
    static void addTo(CelScope scope, dev.haguard.policy.SimpleRuleConfig pods, ValidatingPolicies out) {
        out.add(ValidatingPolicies.PREFIX + "immutablepods-" + scope.name(), new ValidatingPolicies.Check(
                "immutablePods", pods.mode(), RESOURCES, scope.common(), variables(), false, fallback()), validation(),
                message());
    }

    static List<ValidatingPolicies.Variable> variables() {
        return List.of(
                new ValidatingPolicies.Variable("kept", "object.spec.all(k, k == 'schedulingGates' || k in oldObject.spec && "
                        + "object.spec[k] == oldObject.spec[k]) && oldObject.spec.all(k, k == 'schedulingGates' || k in "
                        + "object.spec)"),
                new ValidatingPolicies.Variable("changed", "object.spec.filter(k, k != 'schedulingGates' && !(k in oldObject.spec "
                        + "&& object.spec[k] == oldObject.spec[k])) + oldObject.spec.filter(k, k != 'schedulingGates' && "
                        + "!(k in object.spec))"));
    }

    static String validation() {
        return "variables.kept";
    }

    /** What the API server shows where it cannot show {@link #message}. */
    static String fallback() {
        return "this request edits a running pod in place. Pods are replaced, never edited: make the change in the "
                + "workload that owns the pod and let it roll out; for a pod without an owner, " + ImmutablePodsWords.UNOWNED;
    }

    /** ImmutablePodsRule's violation, with the top-level spec keys as what changed. */
    static String message() {
        String controlled = "object.metadata.ownerReferences.filter(o, has(o.controller) && o.controller)";
        String advice = "has(object.metadata.ownerReferences) && size(" + controlled + ") > 0 ? "
                + concat(ImmutablePodsWords.owned(x(controlled + "[0].kind + ' ' + " + controlled + "[0].name"))) + " : "
                + lit(ImmutablePodsWords.UNOWNED);
        return concat(ImmutablePodsWords.inPlace(x("object.metadata.name"), x("variables.changed.map(k, 'spec.' + k).join(', ')"),
                x(advice)));
    }
}

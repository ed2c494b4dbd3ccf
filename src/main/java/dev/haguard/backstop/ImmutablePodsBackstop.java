package dev.haguard.backstop;

import static dev.haguard.backstop.Cel.concat;
import static dev.haguard.backstop.Cel.lit;
import static dev.haguard.backstop.Cel.x;

import dev.haguard.rules.immutablepods.Words;
import java.util.List;

/**
 * immutablePods in CEL, as ImmutablePodsRule judges: an UPDATE of a Pod may not change its spec, except
 * schedulingGates, which the scheduler's helpers remove through ordinary updates. Compared key by key in standard CEL
 * (equality of maps and lists is deep), since CEL cannot drop a key from a map.
 */
final class ImmutablePodsBackstop {

    static final List<Backstop.Resource> RESOURCES = List.of(new Backstop.Resource("", "pods", List.of("UPDATE")));

    private ImmutablePodsBackstop() {
    }

    static List<Backstop.Variable> variables() {
        return List.of(
                new Backstop.Variable("kept", "object.spec.all(k, k == 'schedulingGates' || k in oldObject.spec && "
                        + "object.spec[k] == oldObject.spec[k]) && oldObject.spec.all(k, k == 'schedulingGates' || k in "
                        + "object.spec)"),
                new Backstop.Variable("changed", "object.spec.filter(k, k != 'schedulingGates' && !(k in oldObject.spec "
                        + "&& object.spec[k] == oldObject.spec[k])) + oldObject.spec.filter(k, k != 'schedulingGates' && "
                        + "!(k in object.spec))"));
    }

    static String validation() {
        return "variables.kept";
    }

    /** What the API server shows where it cannot show {@link #message}. */
    static String fallback() {
        return "this request edits a running pod in place. Pods are replaced, never edited: make the change in the "
                + "workload that owns the pod and let it roll out; for a pod without an owner, " + Words.UNOWNED;
    }

    /** ImmutablePodsRule's violation, with the top-level spec keys as what changed. */
    static String message() {
        String controlled = "object.metadata.ownerReferences.filter(o, has(o.controller) && o.controller)";
        String advice = "has(object.metadata.ownerReferences) && size(" + controlled + ") > 0 ? "
                + concat(Words.owned(x(controlled + "[0].kind + ' ' + " + controlled + "[0].name"))) + " : "
                + lit(Words.UNOWNED);
        return concat(Words.inPlace(x("object.metadata.name"), x("variables.changed.map(k, 'spec.' + k).join(', ')"),
                x(advice)));
    }
}

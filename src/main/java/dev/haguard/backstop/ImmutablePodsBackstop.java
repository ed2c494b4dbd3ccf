package dev.haguard.backstop;

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

    static String message() {
        return "'immutablePods: Pod ' + request.name + ': this request edits a running pod in place (spec.' + "
                + "variables.changed[0] + (size(variables.changed) > 1 ? ' and ' + string(size(variables.changed) - 1) + "
                + "' more' : '') + '). Pods are replaced, never edited: ' + (has(object.metadata.ownerReferences) && "
                + "object.metadata.ownerReferences.exists(o, has(o.controller) && o.controller) ? 'make the change in "
                + "what owns it and let it roll out.' : 'change the manifest and recreate the pod (kubectl replace "
                + "--force -f pod.yaml), or better, run it from a Deployment.')";
    }
}

package dev.haguard.backstop;

import dev.haguard.rules.immutableobjects.ImmutableObjectsConfig;
import java.util.List;

/**
 * immutableObjects in CEL, as ImmutableObjectsRule judges: an UPDATE of an object marked immutable (labelled
 * haguard.dev/immutable: "true", or a ConfigMap with data.infrastructure: immutable) may change only what Kubernetes
 * and its controllers manage (status; metadata's managedFields, resourceVersion, generation, finalizers,
 * ownerReferences, deletion fields; spec.replicas) and the allowed annotations. Compared key by key, level by level.
 */
final class ImmutableObjectsBackstop {

    static final List<Backstop.Resource> RESOURCES = List.of(new Backstop.Resource("*", "*", List.of("UPDATE")));
    private static final String MANAGED_METADATA = "['managedFields', 'resourceVersion', 'generation', 'finalizers', "
            + "'ownerReferences', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'annotations']";

    private ImmutableObjectsBackstop() {
    }

    static Conditions.Condition marked() {
        return new Conditions.Condition("marked-immutable", "oldObject != null && (has(oldObject.metadata.labels) && "
                + "'haguard.dev/immutable' in oldObject.metadata.labels && oldObject.metadata.labels"
                + "['haguard.dev/immutable'] == 'true' || oldObject.kind == 'ConfigMap' && has(oldObject.data) && "
                + "'infrastructure' in oldObject.data && oldObject.data['infrastructure'] == 'immutable')");
    }

    /** Keys of {@code a} (a map) that differ from {@code b}'s or are gone from it, ignoring {@code ignored}. */
    private static String differing(String a, String b, String ignored) {
        return a + ".filter(k, !(k in " + ignored + ") && !(k in " + b + " && " + a + "[k] == " + b + "[k])) + " + b
                + ".filter(k, !(k in " + ignored + ") && !(k in " + a + "))";
    }

    static List<Backstop.Variable> variables(ImmutableObjectsConfig config) {
        return List.of(
                new Backstop.Variable("spec", "has(object.spec) ? object.spec : {}"),
                new Backstop.Variable("oldSpec", "has(oldObject.spec) ? oldObject.spec : {}"),
                new Backstop.Variable("annotations", "has(object.metadata.annotations) ? object.metadata.annotations : {}"),
                new Backstop.Variable("oldAnnotations", "has(oldObject.metadata.annotations) ? "
                        + "oldObject.metadata.annotations : {}"),
                new Backstop.Variable("changed", "(" + differing("object", "oldObject", "['status', 'metadata', 'spec']")
                        + ") + (" + differing("object.metadata", "oldObject.metadata", MANAGED_METADATA)
                        + ").map(k, 'metadata.' + k) + (" + differing("variables.annotations", "variables.oldAnnotations",
                                Conditions.list(config.allowedAnnotations())) + ").map(k, 'metadata.annotations.' + k) + ("
                        + differing("variables.spec", "variables.oldSpec", "['replicas']") + ").map(k, 'spec.' + k)"));
    }

    static String validation() {
        return "size(variables.changed) == 0";
    }

    static String message() {
        return "'immutableObjects: ' + object.kind + ' ' + request.name + ' is marked immutable and this request changes '"
                + " + variables.changed[0] + (size(variables.changed) > 1 ? ' and ' + string(size(variables.changed) - 1)"
                + " + ' more' : '') + '. Immutable objects are replaced, not edited: create ' + request.name + '-v2 with "
                + "the change, point what uses it at ' + request.name + '-v2, then delete ' + request.name + '.'";
    }
}

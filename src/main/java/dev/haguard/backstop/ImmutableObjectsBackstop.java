package dev.haguard.backstop;

import static dev.haguard.backstop.Cel.concat;
import static dev.haguard.backstop.Cel.lit;
import static dev.haguard.backstop.Cel.x;

import dev.haguard.rules.immutableobjects.ImmutableObjectsConfig;
import dev.haguard.rules.immutableobjects.Words;
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
        return new Conditions.Condition("marked-immutable", "oldObject != null && (" + labelled("oldObject") + " || "
                + "oldObject.kind == 'ConfigMap' && has(oldObject.data) && 'infrastructure' in oldObject.data && "
                + "oldObject.data['infrastructure'] == 'immutable')");
    }

    private static String labelled(String root) {
        return "has(" + root + ".metadata.labels) && 'haguard.dev/immutable' in " + root + ".metadata.labels && " + root
                + ".metadata.labels['haguard.dev/immutable'] == 'true'";
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

    /** What the API server shows where it cannot show {@link #message}. */
    static String fallback() {
        return "this request changes an object marked immutable. " + Words.replaced("NAME", Words.MOVED
                + "; for a ConfigMap or Secret" + Words.repointed("NAME"));
    }

    /** ImmutableObjectsRule's violation, with the keys CEL compares as what changed. */
    static String message() {
        String name = x("oldObject.metadata.name");
        String stillMarked = labelled("object") + " || object.kind == 'ConfigMap' && has(object.data) && "
                + "'infrastructure' in object.data && object.data['infrastructure'] == 'immutable'";
        return concat(Words.changed(x("request.kind.kind"), name, x(labelled("oldObject") + " ? "
                + lit(Words.LABEL_MARKER) + " : " + lit(Words.DATA_MARKER)), x("variables.changed.join(', ')"),
                x(stillMarked + " ? '' : " + lit(Words.UNMARKED)), x("object.kind in ['ConfigMap', 'Secret'] ? "
                        + concat(Words.repointed(name)) + " : " + lit(Words.MOVED))));
    }
}

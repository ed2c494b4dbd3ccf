package dev.haguard.rules.immutableobjects;

import static dev.haguard.cel.Cel.concat;
import static dev.haguard.cel.Cel.lit;
import static dev.haguard.cel.Cel.x;

import dev.haguard.cel.CelScope;
import dev.haguard.cel.Cel;
import dev.haguard.cel.Conditions;
import dev.haguard.cel.ValidatingPolicies;
import java.util.List;

/**
 * immutableObjects in CEL, as ImmutableObjectsRule judges: an UPDATE of an object marked immutable (labelled
 * haguard.dev/immutable: "true", or a ConfigMap with data.infrastructure: immutable) may change only what Kubernetes
 * and its controllers manage (status; metadata's managedFields, resourceVersion, generation, finalizers,
 * ownerReferences, deletion fields; spec.replicas) and the allowed annotations. Compared key by key, level by level.
 */
final class ImmutableObjectsCel {

    static final List<ValidatingPolicies.Resource> RESOURCES = List.of(new ValidatingPolicies.Resource("*", "*", List.of("UPDATE")));
    private static final String MANAGED_METADATA = "['managedFields', 'resourceVersion', 'generation', 'finalizers', "
            + "'ownerReferences', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'annotations']";

    private ImmutableObjectsCel() {
    }

    /** immutableObjects' check for one scope. */
    static void addTo(CelScope scope, ImmutableObjectsConfig marked, ValidatingPolicies out) {
        out.add(ValidatingPolicies.PREFIX + "immutableobjects-" + scope.name(), new ValidatingPolicies.Check(
                "immutableObjects", marked.mode(), RESOURCES, scope.with(marked()), variables(marked), false,
                fallback()), validation(), message());
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

    static List<ValidatingPolicies.Variable> variables(ImmutableObjectsConfig config) {
        return List.of(
                new ValidatingPolicies.Variable("spec", "has(object.spec) ? object.spec : {}"),
                new ValidatingPolicies.Variable("oldSpec", "has(oldObject.spec) ? oldObject.spec : {}"),
                new ValidatingPolicies.Variable("annotations", "has(object.metadata.annotations) ? object.metadata.annotations : {}"),
                new ValidatingPolicies.Variable("oldAnnotations", "has(oldObject.metadata.annotations) ? "
                        + "oldObject.metadata.annotations : {}"),
                new ValidatingPolicies.Variable("changed", "(" + differing("object", "oldObject", "['status', 'metadata', 'spec']")
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
        return "this request changes an object marked immutable. " + ImmutableObjectsWords.replaced("NAME", ImmutableObjectsWords.MOVED
                + "; for a ConfigMap or Secret" + ImmutableObjectsWords.repointed("NAME"));
    }

    /** ImmutableObjectsRule's violation, with the keys CEL compares as what changed. */
    static String message() {
        String name = x("oldObject.metadata.name");
        String stillMarked = labelled("object") + " || object.kind == 'ConfigMap' && has(object.data) && "
                + "'infrastructure' in object.data && object.data['infrastructure'] == 'immutable'";
        return concat(ImmutableObjectsWords.changed(x("request.kind.kind"), name, x(labelled("oldObject") + " ? "
                + lit(ImmutableObjectsWords.LABEL_MARKER) + " : " + lit(ImmutableObjectsWords.DATA_MARKER)), x("variables.changed.join(', ')"),
                x(stillMarked + " ? '' : " + lit(ImmutableObjectsWords.UNMARKED)), x("object.kind in ['ConfigMap', 'Secret'] ? "
                        + concat(ImmutableObjectsWords.repointed(name)) + " : " + lit(ImmutableObjectsWords.MOVED))));
    }
}

package dev.haguard.rules.minreplicas;

import static dev.haguard.cel.Cel.concat;
import static dev.haguard.cel.Cel.lit;
import static dev.haguard.cel.Cel.x;

import dev.haguard.cel.CelScope;
import dev.haguard.cel.Cel;
import dev.haguard.cel.Conditions;
import dev.haguard.cel.Autoscaled;
import dev.haguard.cel.ValidatingPolicies;
import dev.haguard.policy.WorkloadKind;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * minReplicas in CEL, as MinReplicasRule judges: Deployments, StatefulSets, ReplicaSets without a controller and
 * ReplicationControllers (an omitted count is 1, as the API server defaults it), their scale subresource (a Scale with
 * no count means 0) and HorizontalPodAutoscalers' minReplicas must reach the minimum, or be 0 where allowScaleToZero
 * says so. An UPDATE that keeps or raises a count already below it is admitted with a warning. A workload whose pods
 * share a claim, run a database or a controller that must run alone gets the webhook's fix for it. A workload an HPA sizes is left to
 * the HPA: the HPA controller's scale requests are left out, and any other write to one the {@link Autoscaled}
 * parameter names.
 */
final class MinReplicasCel {

    static final String HPA_CONTROLLER = "system:serviceaccount:kube-system:horizontal-pod-autoscaler";
    private static final String COUNT = x("string(variables.count)");

    /**
     * Where a kind keeps its count ({@code path}, named {@code field} in messages), what an omitted count means, its
     * pod template (for the single-writer advice; null where there is none) and how the user fixes it (with x()
     * markers).
     */
    record Shape(String name, List<ValidatingPolicies.Resource> resources, String field, String path, String template,
            int omitted, List<Conditions.Condition> only, IntFunction<String> fix, String rivals) {

        Shape(String name, List<ValidatingPolicies.Resource> resources, String field, String path, String template, int omitted,
                List<Conditions.Condition> only, IntFunction<String> fix) {
            this(name, resources, field, path, template, omitted, only, fix, null);
        }

        String count(String root) {
            return "(" + Cel.present(root, path) + " ? " + root + "." + path + " : " + omitted + ")";
        }

        /** HPAs themselves: judged by their minReplicas, and told about another HPA on the same target. */
        boolean autoscalers() {
            return rivals != null;
        }
    }

    /** The engine judges no count on a built-in workload or Scale without a spec (an HPA's: minReplicas 1). */
    private static final Conditions.Condition HAS_SPEC = new Conditions.Condition("has-a-spec", "has(object.spec)");

    private static final List<Shape> BUILT_IN = List.of(
            new Shape("workloads", List.of(new ValidatingPolicies.Resource("apps", "deployments", List.of("CREATE", "UPDATE")),
                    new ValidatingPolicies.Resource("apps", "statefulsets", List.of("CREATE", "UPDATE")),
                    new ValidatingPolicies.Resource("apps", "replicasets", List.of("CREATE", "UPDATE")),
                    new ValidatingPolicies.Resource("", "replicationcontrollers", List.of("CREATE", "UPDATE"))), "spec.replicas",
                    "spec.replicas", "spec.template", 1, List.of(HAS_SPEC,
                    new Conditions.Condition("not-a-replicaset-with-a-controller", "!(object.kind == 'ReplicaSet' && "
                            + "has(object.metadata.ownerReferences) && object.metadata.ownerReferences.exists(o, "
                            + "has(o.controller) && o.controller))")),
                    min -> MinReplicasWords.workloadFix("spec.replicas", x("request.kind.kind"), min)),
            new Shape("scale", List.of(new ValidatingPolicies.Resource("apps", "deployments/scale", List.of("UPDATE")),
                    new ValidatingPolicies.Resource("apps", "statefulsets/scale", List.of("UPDATE")),
                    new ValidatingPolicies.Resource("", "replicationcontrollers/scale", List.of("UPDATE"))), "replicas",
                    "spec.replicas", null, 0, List.of(HAS_SPEC,
                    new Conditions.Condition("not-the-autoscaler", "request.userInfo.username != '" + HPA_CONTROLLER + "'")),
                    min -> MinReplicasWords.scaleFix(x("request.resource.resource == 'deployments' ? 'deployment' : "
                            + "request.resource.resource == 'replicationcontrollers' ? 'replicationcontroller' : "
                            + "'statefulset'"), x(Cel.NAME), x(Cel.NAMESPACE), min)));

    /** The built-in kinds, then each workload kind the policy names (its main resource; the engine skips its scale). */
    static List<Shape> shapes(List<WorkloadKind> kinds) {
        List<Shape> out = new ArrayList<>(BUILT_IN);
        out.add(new Shape("autoscalers", List.of(new ValidatingPolicies.Resource("autoscaling", "horizontalpodautoscalers",
                List.of("CREATE", "UPDATE"))), "spec.minReplicas", "spec.minReplicas", null, 1, List.of(), MinReplicasWords::hpaFix,
                Autoscaled.rivals(kinds)));
        for (WorkloadKind k : kinds) {
            out.add(new Shape(ValidatingPolicies.shapeName(k), List.of(new ValidatingPolicies.Resource(k.group(), k.resource(),
                    List.of("CREATE", "UPDATE"))), k.replicas(), k.replicas(), k.template(), 1, List.of(),
                    min -> MinReplicasWords.workloadFix(k.replicas(), x("request.kind.kind"), min)));
        }
        return out;
    }

    /** MinReplicasWords.DATABASES as the last segment of an image's path, before a tag or digest (SingleWriter's name()). */
    private static final String DATABASE_IMAGE = named(MinReplicasWords.DATABASES.stream().sorted().toList());
    private static final String NO_ELECTION_IMAGE = named(List.of(MinReplicasWords.NO_ELECTION));
    private static final String METRICS_IMAGE = named(List.of(MinReplicasWords.METRICS));
    private static final String ELECTION_OFF = "[" + String.join(", ", MinReplicasWords.ELECTION_OFF.stream().map(Cel::lit)
            .toList()) + "]";

    /** An image whose name, the last segment of its path before a tag or digest, is one of {@code names}. */
    private static String named(List<String> names) {
        return "(?i)^([^@]*/)?(" + String.join("|", names) + ")(:[^@/]*)?(@.*)?$";
    }

    /** A container's command line, its command then its args. */
    private static String line(String c) {
        return "((has(" + c + ".command) ? " + c + ".command : []) + (has(" + c + ".args) ? " + c + ".args : []))";
    }

    private MinReplicasCel() {
    }

    /** minReplicas' checks for one scope: each shape, its kept-count notice, and bare pods' notice. */
    static void addTo(CelScope scope, MinReplicasConfig replicas, ValidatingPolicies out) {
        for (Shape shape : shapes(scope.workloadKinds())) {
            ValidatingPolicies.Check check = new ValidatingPolicies.Check("minReplicas", replicas.mode(),
                    shape.resources(), scope.with(shape.only()), variables(shape, replicas), true,
                    fallback(shape, replicas, scope.label()));
            out.add(ValidatingPolicies.PREFIX + "minreplicas-" + shape.name() + "-" + scope.name(), check, validation(),
                    message(shape, replicas, scope.label()));
            out.addKept(ValidatingPolicies.PREFIX + "minreplicas-kept-" + shape.name() + "-" + scope.name(), check,
                    keptValidation(), keptMessage(shape, replicas));
        }
        ValidatingPolicies.Check bare = new ValidatingPolicies.Check("minReplicas", replicas.mode(), PODS,
                scope.with(barePod()), List.of(), false, MinReplicasWords.barePod(replicas.minimum()));
        out.addKept(ValidatingPolicies.PREFIX + "minreplicas-kept-bare-pods-" + scope.name(), bare, "false",
                barePodMessage(replicas));
    }

    static List<ValidatingPolicies.Variable> variables(Shape shape, MinReplicasConfig config) {
        String zero = Boolean.TRUE.equals(config.allowScaleToZero()) ? " || variables.count == 0" : "";
        List<ValidatingPolicies.Variable> variables = new ArrayList<>(List.of(
                new ValidatingPolicies.Variable("autoscaled", shape.autoscalers() ? "false" : Autoscaled.holdsRequest()),
                new ValidatingPolicies.Variable("rivals", shape.autoscalers() ? shape.rivals() : "[]"),
                new ValidatingPolicies.Variable("count", shape.count("object")),
                new ValidatingPolicies.Variable("before", "request.operation == 'UPDATE' && oldObject != null ? "
                        + shape.count("oldObject") + " : -1"),
                new ValidatingPolicies.Variable("enough", "variables.count >= " + config.minimum() + zero),
                new ValidatingPolicies.Variable("kept", "variables.before >= 0 && variables.before < " + config.minimum()
                        + " && variables.count >= variables.before")));
        if (shape.template() != null) {
            variables.addAll(List.of(
                    new ValidatingPolicies.Variable("podSpec", Cel.present("object", shape.template() + ".spec") + " ? object."
                            + shape.template() + ".spec : {}"),
                    new ValidatingPolicies.Variable("claims", "has(variables.podSpec.volumes) ? variables.podSpec.volumes.filter(v, "
                            + "has(v.persistentVolumeClaim)).map(v, v.persistentVolumeClaim.claimName) : []"),
                    new ValidatingPolicies.Variable("databases", "has(variables.podSpec.containers) ? variables.podSpec.containers"
                            + ".filter(c, has(c.image) && c.image.matches(" + lit(DATABASE_IMAGE) + ")).map(c, c.image) "
                            + ": []"),
                    new ValidatingPolicies.Variable("ownStorage", "object.kind == 'StatefulSet' && "
                            + "has(object.spec.volumeClaimTemplates) && size(object.spec.volumeClaimTemplates) > 0"),
                    new ValidatingPolicies.Variable("containers", "has(variables.podSpec.containers) ? "
                            + "variables.podSpec.containers : []"),
                    new ValidatingPolicies.Variable("singletons", "variables.containers.filter(c, has(c.image) && (c.image"
                            + ".matches(" + lit(NO_ELECTION_IMAGE) + ") || c.image.matches(" + lit(METRICS_IMAGE) + ") && "
                            + "!(has(c.args) && c.args.exists(a, a.startsWith('--total-shards') || "
                            + "a.startsWith('--pod')))))"),
                    new ValidatingPolicies.Variable("electionOff", "variables.containers.filter(c, " + line("c")
                            + ".exists(a, a in " + ELECTION_OFF + "))")));
        }
        return variables;
    }

    static String validation() {
        return "variables.autoscaled || variables.enough || variables.kept";
    }

    /** The engine's notices: a count an UPDATE keeps below the minimum; for an HPA with enough, another HPA. */
    static String keptValidation() {
        return "variables.autoscaled || !(variables.enough ? size(variables.rivals) > 0 : variables.kept)";
    }

    /** MinReplicasRule's violation, word for word. */
    static String message(Shape shape, MinReplicasConfig config, String scope) {
        int min = config.minimum();
        String consequence = x("variables.count == 0 ? " + lit(MinReplicasWords.consequence(0)) + " : variables.count == 1 ? "
                + lit(MinReplicasWords.consequence(1)) + " : " + concat(MinReplicasWords.many(COUNT)));
        String below = concat(MinReplicasWords.below(shape.field(), COUNT, min, MinReplicasWords.setBy(scope), consequence,
                x(fix(shape, config))));
        return shape.autoscalers() ? below + " + (size(variables.rivals) > 0 ? " + lit(MinReplicasWords.ALSO) + " + " + RIVAL
                + " : '')" : below;
    }

    /** What the API server shows where it cannot show {@link #message}: the count, the minimum and the fixes. */
    static String fallback(Shape shape, MinReplicasConfig config, String scope) {
        int min = config.minimum();
        return shape.field() + " is below the minimum of " + min + " (" + MinReplicasWords.setBy(scope) + "). Fix: set it to " + min
                + " or more" + MinReplicasWords.end(Boolean.TRUE.equals(config.allowScaleToZero())) + " Where the pods share a "
                + "volume or run a database, replicate with the software itself instead.";
    }

    /** MinReplicasRule's notices, word for word: the kept count, or for an HPA with enough, the other HPA. */
    static String keptMessage(Shape shape, MinReplicasConfig config) {
        String kept = concat(MinReplicasWords.kept(shape.field(), COUNT, config.minimum(), shape.fix().apply(config.minimum())));
        return shape.autoscalers() ? "variables.enough ? " + RIVAL + " : " + kept : kept;
    }

    /** Pods at CREATE: a bare one that runs until stopped gets MinReplicasRule's notice. */
    static final List<ValidatingPolicies.Resource> PODS = List.of(new ValidatingPolicies.Resource("", "pods", List.of("CREATE")));

    /** A Pod no controller owns, not a static pod's mirror, that runs until stopped (the rule's Alone.pod). */
    static List<Conditions.Condition> barePod() {
        return List.of(new Conditions.Condition("no-controller", "!(has(object.metadata.ownerReferences) && "
                + "object.metadata.ownerReferences.exists(o, has(o.controller) && o.controller))"),
                new Conditions.Condition("not-a-mirror-pod", "!(has(object.metadata.annotations) && "
                        + lit("kubernetes.io/config.mirror") + " in object.metadata.annotations)"),
                new Conditions.Condition("runs-until-stopped", "!has(object.spec.restartPolicy) || "
                        + "object.spec.restartPolicy == 'Always'"));
    }

    /** MinReplicasRule's notice on a bare Pod: the same words, and its own static message. */
    static String barePodMessage(MinReplicasConfig config) {
        return lit(MinReplicasWords.barePod(config.minimum()));
    }

    private static final String RIVAL = concat(MinReplicasWords.rival(x("variables.rivals[0]"),
            x("object.spec.scaleTargetRef.kind"), x("object.spec.scaleTargetRef.name"), x(Cel.NAMESPACE)));

    private static String fix(Shape shape, MinReplicasConfig config) {
        int min = config.minimum();
        String raise = concat(shape.fix().apply(min) + MinReplicasWords.end(Boolean.TRUE.equals(config.allowScaleToZero())));
        if (shape.template() == null) {
            return raise;
        }
        String quoted = x("variables.claims.map(c, '\"' + c + '\"').join(', ')");
        String what = x("size(variables.databases) > 0 ? " + concat(MinReplicasWords.runs(x("variables.databases[0]"))) + " : "
                + lit(MinReplicasWords.OWN_CLAIMS));
        String storage = x("object.kind == 'StatefulSet' ? " + lit(MinReplicasWords.onStatefulSet(min)) + " : "
                + lit(MinReplicasWords.toStatefulSet(min)));
        String image = x("variables.singletons[0].image");
        String singleton = "(variables.singletons[0].image.matches(" + lit(NO_ELECTION_IMAGE) + ") ? "
                + concat(MinReplicasWords.noElection(image, x("object.kind"))) + " : "
                + concat(MinReplicasWords.unsharded(image, x("object.kind"), min)) + ")";
        String off = concat(MinReplicasWords.electionOff(x(line("variables.electionOff[0]") + ".filter(a, a in " + ELECTION_OFF
                + ")[0]"), min));
        return "size(variables.claims) > 0 && object.kind != 'StatefulSet' ? "
                + concat(MinReplicasWords.sharedClaims(quoted, x("object.kind"), min)) + " : size(variables.databases) > 0 || "
                + "variables.ownStorage ? " + concat(MinReplicasWords.ownData(what, storage, x("object.kind"))) + " : "
                + "size(variables.singletons) > 0 ? " + singleton + " : size(variables.electionOff) > 0 ? " + off
                + " : " + raise;
    }
}

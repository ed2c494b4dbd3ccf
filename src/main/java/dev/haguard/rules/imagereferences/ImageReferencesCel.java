package dev.haguard.rules.imagereferences;

import static dev.haguard.cel.Cel.concat;
import static dev.haguard.cel.Cel.lit;
import static dev.haguard.cel.Cel.x;

import dev.haguard.cel.CelScope;
import dev.haguard.cel.Cel;
import dev.haguard.cel.Conditions;
import dev.haguard.cel.ValidatingPolicies;
import dev.haguard.policy.WorkloadKind;
import java.util.ArrayList;
import java.util.List;

/**
 * imageReferences in CEL, as ImageReferencesRule and ImageReference judge, in their words: every image in init, regular
 * and ephemeral containers is pinned (a tag other than latest after the last colon that follows the last slash, or an
 * {@code @sha256:} digest of 64 characters; only a digest under requireDigest), unless the same image was already
 * there before an UPDATE. Pods, ReplicaSets and Jobs a controller owns are judged on their controller.
 */
final class ImageReferencesCel {

    /**
     * Where a kind keeps its pod spec, which controllers' objects are judged on the controller, and whether the pod
     * spec may be absent (a workload kind's template: a Rollout with a workloadRef has none, and is not judged).
     */
    record Shape(String name, List<ValidatingPolicies.Resource> resources, String podSpec, String ownedBy, boolean optional) {

        Shape(String name, List<ValidatingPolicies.Resource> resources, String podSpec, String ownedBy) {
            this(name, resources, podSpec, ownedBy, false);
        }
    }

    private static final List<Shape> BUILT_IN = List.of(
            new Shape("pods", List.of(new ValidatingPolicies.Resource("", "pods", List.of("CREATE", "UPDATE")),
                    new ValidatingPolicies.Resource("", "pods/ephemeralcontainers", List.of("UPDATE"))), "spec",
                    "['ReplicaSet', 'ReplicationController', 'StatefulSet', 'DaemonSet', 'Job']"),
            new Shape("workloads", List.of(new ValidatingPolicies.Resource("", "replicationcontrollers", List.of("CREATE", "UPDATE")),
                    new ValidatingPolicies.Resource("apps", "deployments", List.of("CREATE", "UPDATE")),
                    new ValidatingPolicies.Resource("apps", "statefulsets", List.of("CREATE", "UPDATE")),
                    new ValidatingPolicies.Resource("apps", "replicasets", List.of("CREATE", "UPDATE")),
                    new ValidatingPolicies.Resource("apps", "daemonsets", List.of("CREATE", "UPDATE")),
                    new ValidatingPolicies.Resource("batch", "jobs", List.of("CREATE", "UPDATE"))), "spec.template.spec",
                    "(object.kind == 'ReplicaSet' ? ['Deployment'] : object.kind == 'Job' ? ['CronJob'] : [])"),
            new Shape("cronjobs", List.of(new ValidatingPolicies.Resource("batch", "cronjobs", List.of("CREATE", "UPDATE"))),
                    "spec.jobTemplate.spec.template.spec", "[]"));

    private ImageReferencesCel() {
    }

    /** imageReferences' checks for one scope: each shape and its notice for images an UPDATE keeps. */
    static void addTo(CelScope scope, ImageReferencesConfig images, ValidatingPolicies out) {
        for (Shape shape : shapes(scope.workloadKinds())) {
            ValidatingPolicies.Check check = new ValidatingPolicies.Check("imageReferences", images.mode(),
                    shape.resources(), scope.with(conditions(shape)), variables(shape, images), false,
                    fallback(images));
            out.add(ValidatingPolicies.PREFIX + "imagereferences-" + shape.name() + "-" + scope.name(), check,
                    validation(), message(images));
            out.addKept(ValidatingPolicies.PREFIX + "imagereferences-kept-" + shape.name() + "-" + scope.name(), check,
                    existingValidation(), existingMessage(images));
        }
    }

    /** The built-in kinds, then each workload kind the policy names, judged on its own pod template. */
    static List<Shape> shapes(List<WorkloadKind> kinds) {
        List<Shape> out = new ArrayList<>(BUILT_IN);
        kinds.forEach(k -> out.add(new Shape(ValidatingPolicies.shapeName(k), List.of(new ValidatingPolicies.Resource(k.group(),
                k.resource(), List.of("CREATE", "UPDATE"))), k.template() + ".spec", "[]", true)));
        return out;
    }

    static List<Conditions.Condition> conditions(Shape shape) {
        if (shape.optional()) {
            return List.of(Conditions.podTemplate(shape.podSpec()));
        }
        return List.of(new Conditions.Condition("not-judged-on-its-controller", "!(has(object.metadata.ownerReferences) "
                + "&& object.metadata.ownerReferences.exists(o, has(o.controller) && o.controller && o.kind in "
                + shape.ownedBy() + "))"));
    }

    /** The variables, in order: each may use those before it. */
    static List<ValidatingPolicies.Variable> variables(Shape shape, ImageReferencesConfig config) {
        return List.of(
                new ValidatingPolicies.Variable("containers", containers("object", shape, ", 'name': c.name, 'image': " + IMAGE
                        + ", 'rest': " + IMAGE + ".trim().split('@')[0]")),
                new ValidatingPolicies.Variable("before", "request.operation == 'UPDATE' && oldObject != null && "
                        + Cel.present("oldObject", shape.podSpec()) + " ? " + containers("oldObject", shape, ", 'image': "
                        + IMAGE) + ".map(c, c.image) : []"),
                // ImageReference.parse: the digest after the first '@', a tag after a colon that follows the last slash
                // (a colon before it is a registry's port).
                new ValidatingPolicies.Variable("references", "variables.containers.map(c, {'list': c.list, 'name': c.name, "
                        + "'image': c.image, 'repository': " + TAGGED + " ? c.rest.substring(0, c.rest.lastIndexOf(':')) "
                        + ": c.rest, 'tag': " + TAGGED + " ? c.rest.substring(c.rest.lastIndexOf(':') + 1) : '', 'at': "
                        + "c.image.trim().contains('@') ? '@' : '', 'digest': c.image.trim().contains('@') ? "
                        + "c.image.trim().substring(c.image.trim().indexOf('@') + 1) : ''})"),
                new ValidatingPolicies.Variable("flagged", "variables.references.map(c, {'list': c.list, 'name': c.name, 'image': "
                        + "c.image, 'repository': c.repository, 'problem': " + problem(config.requireDigest())
                        + "}).filter(c, c.problem != '')"),
                new ValidatingPolicies.Variable("introduced", "variables.flagged.filter(c, !(c.image in variables.before))"),
                new ValidatingPolicies.Variable("existing", "variables.flagged.filter(c, c.image in variables.before)"));
    }

    static String validation() {
        return "size(variables.introduced) == 0";
    }

    /**
     * The engine admits an UPDATE that only keeps an unpinned image with a warning (audit-only under audit): a second
     * policy, bound Warn or Audit, says so when nothing new is unpinned.
     */
    static String existingValidation() {
        return "size(variables.introduced) > 0 || size(variables.existing) == 0";
    }

    /** ImageReferencesRule's violation, word for word. */
    static String message(ImageReferencesConfig config) {
        return concat(ImageReferencesWords.introduced(x(lines("variables.introduced", config))));
    }

    /** What the API server shows where it cannot show {@link #message}: one fix for every container it names. */
    static String fallback(ImageReferencesConfig config) {
        boolean digest = Boolean.TRUE.equals(config.requireDigest());
        return "a container image " + (digest ? ImageReferencesWords.NOT_BY_DIGEST : "uses a mutable tag (:latest, or no tag)")
                + ". Fix, for each such container: " + ImageReferencesWords.fix("IMAGE", digest) + ".";
    }

    /** ImageReferencesRule's notice for unpinned images the object already had, word for word. */
    static String existingMessage(ImageReferencesConfig config) {
        return concat(ImageReferencesWords.existing(x(lines("variables.existing", config))));
    }

    private static String lines(String list, ImageReferencesConfig config) {
        String fix = "c.repository == '' ? " + lit(ImageReferencesWords.NO_IMAGE_FIX) + " : "
                + concat(ImageReferencesWords.fix(x("c.repository"), Boolean.TRUE.equals(config.requireDigest())));
        return list + ".map(c, " + concat(ImageReferencesWords.line(x("c.list"), x("c.name"), x("c.image"), x("c.problem"), x(fix)))
                + ").join(" + lit(ImageReferencesWords.SEPARATOR) + ")";
    }

    private static final String IMAGE = "(has(c.image) ? c.image : '')";
    private static final String TAGGED = "c.rest.lastIndexOf(':') > c.rest.lastIndexOf('/')";

    /** Every container as {list, ...fields}, in the engine's order: init, regular, ephemeral. */
    private static String containers(String root, Shape shape, String fields) {
        String spec = root + "." + shape.podSpec();
        StringBuilder out = new StringBuilder("(");
        for (String list : List.of("initContainers", "containers", "ephemeralContainers")) {
            out.append(list.equals("initContainers") ? "" : " + ").append("(")
                    .append(Cel.present(root, shape.podSpec() + "." + list)).append(" ? ").append(spec).append(".")
                    .append(list).append(".map(c, {'list': '")
                    .append(shape.podSpec()).append(".").append(list).append("'").append(fields).append("}) : [])");
        }
        return out.append(")").toString();
    }

    /** ImageReference.problem on a parsed reference c: its words, or '' for an acceptable one. */
    private static String problem(Boolean requireDigest) {
        return "c.image.trim() == '' || c.repository == '' ? " + lit(ImageReferencesWords.NO_IMAGE) + " : c.at != '' ? "
                + "(c.digest.startsWith('sha256:') && size(c.digest) == 71 ? '' : " + lit(ImageReferencesWords.MALFORMED_DIGEST) + ") : "
                + (Boolean.TRUE.equals(requireDigest) ? lit(ImageReferencesWords.NOT_BY_DIGEST) : "c.tag == '' ? " + lit(ImageReferencesWords.NO_TAG)
                        + " : c.tag == 'latest' ? " + lit(ImageReferencesWords.LATEST) + " : ''");
    }
}

package dev.haguard.backstop;

import dev.haguard.rules.imagereferences.ImageReferencesConfig;
import java.util.List;

/**
 * imageReferences in CEL, as ImageReferencesRule and ImageReference judge: every image in init, regular and ephemeral
 * containers is pinned (a tag other than latest after the last colon that follows the last slash, or an
 * {@code @sha256:} digest of 64 characters; only a digest under requireDigest), unless the same image was already
 * there before an UPDATE. Pods, ReplicaSets and Jobs a controller owns are judged on their controller.
 */
final class ImageReferencesBackstop {

    /** Where a kind keeps its pod spec, and which controllers' objects are judged on the controller. */
    record Shape(String name, List<Backstop.Resource> resources, String podSpec, String ownedBy) {
    }

    static final List<Shape> SHAPES = List.of(
            new Shape("pods", List.of(new Backstop.Resource("", "pods", List.of("CREATE", "UPDATE")),
                    new Backstop.Resource("", "pods/ephemeralcontainers", List.of("UPDATE"))), "spec",
                    "['ReplicaSet', 'ReplicationController', 'StatefulSet', 'DaemonSet', 'Job']"),
            new Shape("workloads", List.of(new Backstop.Resource("", "replicationcontrollers", List.of("CREATE", "UPDATE")),
                    new Backstop.Resource("apps", "deployments", List.of("CREATE", "UPDATE")),
                    new Backstop.Resource("apps", "statefulsets", List.of("CREATE", "UPDATE")),
                    new Backstop.Resource("apps", "replicasets", List.of("CREATE", "UPDATE")),
                    new Backstop.Resource("apps", "daemonsets", List.of("CREATE", "UPDATE")),
                    new Backstop.Resource("batch", "jobs", List.of("CREATE", "UPDATE"))), "spec.template.spec",
                    "(object.kind == 'ReplicaSet' ? ['Deployment'] : object.kind == 'Job' ? ['CronJob'] : [])"),
            new Shape("cronjobs", List.of(new Backstop.Resource("batch", "cronjobs", List.of("CREATE", "UPDATE"))),
                    "spec.jobTemplate.spec.template.spec", "[]"));

    private ImageReferencesBackstop() {
    }

    static Conditions.Condition notJudgedOnOwner(Shape shape) {
        return new Conditions.Condition("not-judged-on-its-controller", "!(has(object.metadata.ownerReferences) && "
                + "object.metadata.ownerReferences.exists(o, has(o.controller) && o.controller && o.kind in "
                + shape.ownedBy() + "))");
    }

    /** The variables, in order: each may use those before it. */
    static List<Backstop.Variable> variables(Shape shape, ImageReferencesConfig config) {
        return List.of(
                new Backstop.Variable("images", images("object", shape)),
                new Backstop.Variable("before", "request.operation == 'UPDATE' && oldObject != null ? "
                        + images("oldObject", shape) + " : []"),
                new Backstop.Variable("unpinned", "variables.images.filter(i, !(" + pinned(config.requireDigest())
                        + ") && !(i in variables.before))"),
                new Backstop.Variable("existing", "variables.images.filter(i, !(" + pinned(config.requireDigest())
                        + ") && i in variables.before)"));
    }

    static String validation() {
        return "size(variables.unpinned) == 0";
    }

    /**
     * The engine admits an UPDATE that only keeps an unpinned image with a warning (audit-only under audit): a second
     * policy, bound Warn or Audit, says so when nothing new is unpinned.
     */
    static String existingValidation() {
        return "size(variables.unpinned) > 0 || size(variables.existing) == 0";
    }

    static String existingMessage() {
        return "'imageReferences: image \"' + variables.existing[0] + '\" was already unpinned before this change, so it "
                + "is admitted. Fix: use a fixed version tag or a digest (@sha256:).'";
    }

    static String message(ImageReferencesConfig config) {
        return "'imageReferences: image \"' + variables.unpinned[0] + '\"" + (Boolean.TRUE.equals(config.requireDigest())
                ? " is not pinned by digest (the policy requires @sha256:). Fix: use REPOSITORY@sha256:<digest> "
                        + "(crane digest REPOSITORY:TAG prints it).'"
                : " is not pinned (no tag, or the mutable :latest). Fix: use a fixed version tag "
                        + "(REPOSITORY:<version>) or a digest (REPOSITORY@sha256:<digest>).'")
                + " + (size(variables.unpinned) > 1 ? ' ' + string(size(variables.unpinned) - 1) + ' more image(s) "
                + "likewise.' : '')";
    }

    private static String images(String root, Shape shape) {
        String spec = root + "." + shape.podSpec();
        return "((has(" + spec + ".initContainers) ? " + spec + ".initContainers : []) + (has(" + spec + ".containers) ? "
                + spec + ".containers : []) + (has(" + spec + ".ephemeralContainers) ? " + spec
                + ".ephemeralContainers : [])).map(c, has(c.image) ? c.image : '')";
    }

    /** ImageReference.problem(requireDigest) == null, on the image {@code i}. */
    private static String pinned(Boolean requireDigest) {
        String digest = "i.matches('^[^@]*@sha256:.{64}$') && !i.matches('^(:[^:/@]*)?@')";
        return Boolean.TRUE.equals(requireDigest) ? digest
                : "(" + digest + ") || !i.contains('@') && i.matches('^[^@]+:[^:/@]+$') && !i.endsWith(':latest')";
    }
}

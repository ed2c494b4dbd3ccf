package dev.haguard.backstop;

import static dev.haguard.backstop.Cel.concat;
import static dev.haguard.backstop.Cel.x;

import dev.haguard.policy.WorkloadKind;
import dev.haguard.rules.readinessprobes.Words;
import java.util.ArrayList;
import java.util.List;

/**
 * readinessProbes in CEL, as ReadinessProbesRule judges, in its words: a Deployment, StatefulSet or
 * ReplicationController with two or more replicas, or one an HPA scales (the {@link Autoscaled} parameter), whose
 * serving containers (sidecars, that is init containers with restartPolicy Always, then containers) lack a
 * readinessProbe. An UPDATE that leaves the same containers without one is admitted with a warning.
 */
final class ReadinessProbesBackstop {

    /** Where a kind keeps its count and its pod template. */
    record Shape(String name, List<Backstop.Resource> resources, String replicas, String template) {

        /** A workload kind's object without a template (a Rollout with a workloadRef) is not judged: none to probe. */
        Conditions.Condition only() {
            return Conditions.podTemplate(template + ".spec");
        }
    }

    /** The built-in kinds, then each workload kind the policy names. */
    static List<Shape> shapes(List<WorkloadKind> kinds) {
        List<Shape> out = new ArrayList<>(List.of(new Shape("workloads", List.of(
                new Backstop.Resource("apps", "deployments", List.of("CREATE", "UPDATE")),
                new Backstop.Resource("apps", "statefulsets", List.of("CREATE", "UPDATE")),
                new Backstop.Resource("", "replicationcontrollers", List.of("CREATE", "UPDATE"))), "spec.replicas",
                "spec.template")));
        kinds.forEach(k -> out.add(new Shape(Backstop.shapeName(k), List.of(new Backstop.Resource(k.group(),
                k.resource(), List.of("CREATE", "UPDATE"))), k.replicas(), k.template())));
        return out;
    }

    private ReadinessProbesBackstop() {
    }

    static List<Backstop.Variable> variables(Shape shape) {
        return List.of(
                new Backstop.Variable("autoscaled", Autoscaled.holdsRequest()),
                new Backstop.Variable("replicas", Cel.present("object", shape.replicas()) + " ? object."
                        + shape.replicas() + " : 1"),
                new Backstop.Variable("missing", missing("object", shape)),
                new Backstop.Variable("kept", "request.operation == 'UPDATE' && oldObject != null && "
                        + Cel.present("oldObject", shape.template() + ".spec") + " && " + missing("oldObject", shape)
                        + ".map(c, c.name) == variables.missing.map(c, c.name)"));
    }

    /** The serving containers without a readinessProbe, in pod spec order. */
    private static String missing(String root, Shape shape) {
        String spec = root + "." + shape.template() + ".spec";
        return "((has(" + spec + ".initContainers) ? " + spec + ".initContainers.filter(c, has(c.restartPolicy) && "
                + "c.restartPolicy == 'Always') : []) + (has(" + spec + ".containers) ? " + spec + ".containers : []))"
                + ".filter(c, !has(c.readinessProbe))";
    }

    /** Nothing to say: fewer than 2 replicas and no HPA, or every serving container has a probe. */
    private static final String FINE = "variables.replicas < 2 && !variables.autoscaled || size(variables.missing) == 0";

    static String validation() {
        return FINE + " || variables.kept";
    }

    static String keptValidation() {
        return FINE + " || !variables.kept";
    }

    static String message() {
        return concat(Words.violation(x(found()), x(fix())));
    }

    /** What the API server shows where it cannot show {@link #message}. */
    static String fallback() {
        return "a container of this workload has no readinessProbe. Fix: add a readinessProbe (httpGet on its health "
                + "path, or tcpSocket on its port) to each container of the pod template.";
    }

    static String keptMessage() {
        return concat(Words.notice(x(found()), x(fix())));
    }

    private static String found() {
        String sized = "variables.autoscaled ? " + concat(Words.scaledBy(x(Autoscaled.hpa()))) + " : "
                + concat(Words.runs(x("string(variables.replicas)")));
        String names = "size(variables.missing) == 1 ? " + concat(Words.names(true, x("variables.missing[0].name")))
                + " : " + concat(Words.names(false, x("variables.missing.map(c, c.name).join(', ')")));
        return concat(Words.found(x(sized), x(names)));
    }

    private static String fix() {
        String port = "has(c.ports) && size(c.ports) > 0 && has(c.ports[0].containerPort)";
        String each = port + " ? " + concat(Words.container(x("c.name"), x("string(c.ports[0].containerPort)")))
                + " : " + concat(Words.container(x("c.name"), null));
        return concat(Words.fix(x("variables.missing.map(c, " + each + ").join(" + Cel.lit(Words.SEPARATOR) + ")")));
    }
}

package dev.haguard.rules.readinessprobes;

import static dev.haguard.cel.Cel.concat;
import static dev.haguard.cel.Cel.x;

import dev.haguard.cel.CelScope;
import dev.haguard.cel.Cel;
import dev.haguard.cel.Conditions;
import dev.haguard.cel.Autoscaled;
import dev.haguard.cel.ValidatingPolicies;
import dev.haguard.policy.WorkloadKind;
import java.util.ArrayList;
import java.util.List;

/**
 * readinessProbes in CEL, as ReadinessProbesRule judges, in its words: a Deployment, StatefulSet or
 * ReplicationController with two or more replicas, or one an HPA scales (the {@link Autoscaled} parameter), none of
 * whose serving containers (sidecars, that is init containers with restartPolicy Always, then containers) has a
 * readinessProbe; the fix names the container to probe as the rule picks it. An UPDATE of a workload that had no probe
 * either is admitted with a warning.
 */
final class ReadinessProbesCel {

    /** Where a kind keeps its count and its pod template. */
    record Shape(String name, List<ValidatingPolicies.Resource> resources, String replicas, String template) {

        /** A workload kind's object without a template (a Rollout with a workloadRef) is not judged: none to probe. */
        Conditions.Condition only() {
            return Conditions.podTemplate(template + ".spec");
        }
    }

    /** The built-in kinds, then each workload kind the policy names. */
    static List<Shape> shapes(List<WorkloadKind> kinds) {
        List<Shape> out = new ArrayList<>(List.of(new Shape("workloads", List.of(
                new ValidatingPolicies.Resource("apps", "deployments", List.of("CREATE", "UPDATE")),
                new ValidatingPolicies.Resource("apps", "statefulsets", List.of("CREATE", "UPDATE")),
                new ValidatingPolicies.Resource("", "replicationcontrollers", List.of("CREATE", "UPDATE"))), "spec.replicas",
                "spec.template")));
        kinds.forEach(k -> out.add(new Shape(ValidatingPolicies.shapeName(k), List.of(new ValidatingPolicies.Resource(k.group(),
                k.resource(), List.of("CREATE", "UPDATE"))), k.replicas(), k.template())));
        return out;
    }

    private ReadinessProbesCel() {
    }

    /** readinessProbes' checks for one scope: each shape and its kept notice. */
    static void addTo(CelScope scope, dev.haguard.policy.SimpleRuleConfig probes, ValidatingPolicies out) {
        for (Shape shape : shapes(scope.workloadKinds())) {
            ValidatingPolicies.Check check = new ValidatingPolicies.Check("readinessProbes", probes.mode(),
                    shape.resources(), scope.with(shape.only()), variables(shape), true, fallback());
            out.add(ValidatingPolicies.PREFIX + "readinessprobes-" + shape.name() + "-" + scope.name(), check,
                    validation(), message());
            out.addKept(ValidatingPolicies.PREFIX + "readinessprobes-kept-" + shape.name() + "-" + scope.name(), check,
                    keptValidation(), keptMessage());
        }
    }

    static List<ValidatingPolicies.Variable> variables(Shape shape) {
        String spec = "object." + shape.template() + ".spec";
        return List.of(
                new ValidatingPolicies.Variable("autoscaled", Autoscaled.holdsRequest()),
                new ValidatingPolicies.Variable("replicas", Cel.present("object", shape.replicas()) + " ? object."
                        + shape.replicas() + " : 1"),
                new ValidatingPolicies.Variable("serving", serving("object", shape)),
                new ValidatingPolicies.Variable("probed", "variables.serving.exists(c, has(c.readinessProbe))"),
                new ValidatingPolicies.Variable("kept", "request.operation == 'UPDATE' && oldObject != null && "
                        + Cel.present("oldObject", shape.template() + ".spec") + " && size(" + serving("oldObject", shape)
                        + ") > 0 && !" + serving("oldObject", shape) + ".exists(c, has(c.readinessProbe))"),
                new ValidatingPolicies.Variable("containers", "has(" + spec + ".containers) ? " + spec + ".containers : []"),
                new ValidatingPolicies.Variable("candidates", "variables.containers.filter(c, " + PORT + " && !(" + SHELL + "))"),
                new ValidatingPolicies.Variable("first", "size(variables.containers) > 0 ? variables.containers[0] : "
                        + "variables.serving[0]"));
    }

    /** The serving containers, in pod spec order: sidecars (init containers with restartPolicy Always), then the rest. */
    private static String serving(String root, Shape shape) {
        String spec = root + "." + shape.template() + ".spec";
        return "((has(" + spec + ".initContainers) ? " + spec + ".initContainers.filter(c, has(c.restartPolicy) && "
                + "c.restartPolicy == 'Always') : []) + (has(" + spec + ".containers) ? " + spec + ".containers : []))";
    }

    /** ReadinessProbesRule's port(c) != null: its first port, with a number. */
    private static final String PORT = "has(c.ports) && size(c.ports) > 0 && has(c.ports[0].containerPort)";
    /** ReadinessProbesRule's shell(c): the command's program, without its directory, is a shell. */
    private static final String SHELL = "has(c.command) && size(c.command) > 0 && c.command[0].matches('^(.*/)?("
            + ReadinessProbesWords.SHELLS + ")$')";

    /** Nothing to say: fewer than 2 replicas and no HPA, no serving container, or one with a probe. */
    private static final String FINE = "variables.replicas < 2 && !variables.autoscaled || size(variables.serving) == 0 "
            + "|| variables.probed";

    static String validation() {
        return FINE + " || variables.kept";
    }

    static String keptValidation() {
        return FINE + " || !variables.kept";
    }

    static String message() {
        return concat(ReadinessProbesWords.violation(x(found()), x(fix())));
    }

    /** What the API server shows where it cannot show {@link #message}. */
    static String fallback() {
        return "no container of this workload has a readinessProbe. Fix: add one (httpGet on its health path, or "
                + "tcpSocket on its port) to the container that serves.";
    }

    static String keptMessage() {
        return concat(ReadinessProbesWords.notice(x(found()), x(fix())));
    }

    private static String found() {
        String sized = "variables.autoscaled ? " + concat(ReadinessProbesWords.scaledBy(x(Autoscaled.hpa()))) + " : "
                + concat(ReadinessProbesWords.runs(x("string(variables.replicas)")));
        return concat(ReadinessProbesWords.found(x(sized), x("variables.serving.map(c, c.name).join(', ')")));
    }

    private static String fix() {
        String port = "size(variables.candidates) > 0 ? " + concat(ReadinessProbesWords.onPort(x("variables.candidates[0].name"),
                x("string(variables.candidates[0].ports[0].containerPort)")));
        String first = "has(variables.first.ports) && size(variables.first.ports) > 0 && has(variables.first.ports[0]"
                + ".containerPort) ? " + concat(ReadinessProbesWords.shell(x("variables.first.name"))) + " : "
                + concat(ReadinessProbesWords.noPort(x("variables.first.name")));
        return concat(ReadinessProbesWords.fix(x(port + " : " + first)));
    }
}

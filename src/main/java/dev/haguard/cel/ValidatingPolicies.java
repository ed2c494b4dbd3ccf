package dev.haguard.cel;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haguard.json.Json;
import dev.haguard.policy.Mode;
import dev.haguard.policy.OnError;
import dev.haguard.policy.Policy;
import dev.haguard.policy.WorkloadKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The ValidatingAdmissionPolicies and bindings the backstop generates, in order, each policy followed by its binding;
 * rules add to it through {@link CelBackstop}. One policy per check, shape of object and scope of the policy whose mode
 * is not off, with that scope's settings written in; enforce binds Deny, warn Warn, audit Audit.
 */
public final class ValidatingPolicies {

    /** What every generated name starts with. */
    public static final String PREFIX = "ha-guard-";
    /** The label on everything the backstop consists of. */
    public static final String LABEL = "haguard.dev/backstop";

    /** A resource a generated policy matches, as a webhook rule names it. */
    public record Resource(String group, String resource, List<String> operations) {
    }

    /** A CEL variable of a generated policy. */
    public record Variable(String name, String expression) {
    }

    private final Policy policy;
    private final String namespace;
    private final List<ObjectNode> objects = new ArrayList<>();

    /** For ha-guard running in {@code namespace}: where the {@link Autoscaled} parameter lives, what is never sent. */
    public ValidatingPolicies(Policy policy, String namespace) {
        this.policy = policy;
        this.namespace = namespace;
    }

    public List<ObjectNode> objects() {
        return List.copyOf(objects);
    }

    /**
     * One check of a rule in a scope: what it matches, under which conditions, with which variables, and whether it
     * reads the {@link Autoscaled} parameter.
     */
    public record Check(String rule, Mode mode, List<Resource> resources, List<Conditions.Condition> conditions,
            List<Variable> variables, boolean parameterized, String fallback) {
    }

    /**
     * Ends each validation's static message, which the API server shows where it cannot show the messageExpression's:
     * a result longer than 5 KiB or with a line break, an evaluation error, or the cost budget spent (Kubernetes'
     * validating policy plugin, validator.go; the limit is celconfig.MaxEvaluatedMessageExpressionSizeBytes).
     */
    public static final String CUT_SHORT = " (This is the general form: the API server could not show the message "
            + "about this object, which must be one line of at most 5 KiB; ha-guard's check command prints it for the "
            + "manifest.)";

    /** The check itself, bound as the rule's mode says. */
    public void add(String name, Check check, String validation, String message) {
        add(name, check, check.mode(), validation, message);
    }

    /**
     * The engine's notice for what an UPDATE keeps from before (admitted): a second policy, bound Warn, or Audit
     * under audit.
     */
    public void addKept(String name, Check check, String validation, String message) {
        add(name, check, check.mode() == Mode.AUDIT ? Mode.AUDIT : Mode.WARN, validation, message);
    }

    private void add(String name, Check check, Mode action, String validation, String message) {
        objects.add(parameterized(check.parameterized(), policyObject(name, policy.onError(), check.resources(),
                check.conditions(), check.variables(), validation, words(check.rule(), check.mode(), action,
                        message), fallback(check.rule(), check.mode(), action, check.fallback()))));
        objects.add(parameter(check.parameterized(), binding(name, action, namespace), namespace));
    }

    /** A policy-named workload kind's part of a generated name: its resource and group, e.g. rollouts-argoproj-io. */
    public static String shapeName(WorkloadKind kind) {
        return Conditions.name(kind.resource() + "-" + kind.group());
    }

    /** A rule's message as the webhook frames it for the binding's action: a denial, or a warning. */
    private static String words(String rule, Mode mode, Mode action, String message) {
        return action == Mode.ENFORCE ? Cel.denied(rule, message) : Cel.warned(rule, mode, message);
    }

    /** The static message: the rule's general form, framed as {@link #words} frames the message. */
    private static String fallback(String rule, Mode mode, Mode action, String text) {
        return (action == Mode.ENFORCE ? "ha-guard denied this request: [" + rule + "] " : Cel.warning(rule, mode))
                + text + CUT_SHORT;
    }

    private static ObjectNode policyObject(String name, OnError onError, List<Resource> resources,
            List<Conditions.Condition> conditions, List<Variable> variables, String validation, String message,
            String fallback) {
        ObjectNode vap = header("ValidatingAdmissionPolicy", name);
        ObjectNode spec = vap.putObject("spec");
        // A CEL error (an object unlike the schema) admits, as the webhook's failurePolicy Ignore does, unless the
        // policy's onError says deny.
        spec.put("failurePolicy", onError == OnError.DENY ? "Fail" : "Ignore");
        ArrayNode rules = spec.putObject("matchConstraints").putArray("resourceRules");
        for (Resource r : resources) {
            ObjectNode rule = rules.addObject();
            rule.putArray("apiGroups").add(r.group());
            rule.putArray("apiVersions").add("*");
            ArrayNode ops = rule.putArray("operations");
            r.operations().forEach(ops::add);
            rule.putArray("resources").add(r.resource());
        }
        spec.set("matchConditions", Conditions.json(conditions));
        ArrayNode vars = spec.putArray("variables");
        variables.forEach(v -> vars.addObject().put("name", v.name()).put("expression", v.expression()));
        spec.putArray("validations").addObject().put("expression", validation).put("messageExpression", message)
                .put("message", fallback).put("reason", "Forbidden");
        return vap;
    }

    /** A policy that reads the {@link Autoscaled} ConfigMap as its params. */
    private static ObjectNode parameterized(boolean autoscaled, ObjectNode vap) {
        if (autoscaled) {
            ((ObjectNode) vap.get("spec")).putObject("paramKind").put("apiVersion", "v1").put("kind", "ConfigMap");
        }
        return vap;
    }

    /**
     * Its binding names the parameter. Without it the binding fails per failurePolicy (parameterNotFoundAction Deny):
     * admitted under onError allow, as when ha-guard cannot judge, refused under onError deny.
     */
    private static ObjectNode parameter(boolean autoscaled, ObjectNode binding, String namespace) {
        if (autoscaled) {
            ((ObjectNode) binding.get("spec")).putObject("paramRef").put("name", Autoscaled.NAME)
                    .put("namespace", namespace).put("parameterNotFoundAction", "Deny");
        }
        return binding;
    }

    /**
     * The namespaces the webhook configurations never send (deploy/base/webhooks.yaml): the backstop leaves them out
     * too, so it judges exactly what the webhook would.
     */
    public static List<String> unsent(String namespace) {
        return List.of("kube-system", "kube-public", "kube-node-lease", namespace);
    }

    private static ObjectNode binding(String name, Mode mode, String namespace) {
        ObjectNode binding = header("ValidatingAdmissionPolicyBinding", name);
        ObjectNode spec = binding.putObject("spec").put("policyName", name);
        ObjectNode selector = spec.putObject("matchResources").putObject("namespaceSelector");
        ArrayNode values = selector.putArray("matchExpressions").addObject().put("key", "kubernetes.io/metadata.name")
                .put("operator", "NotIn").putArray("values");
        unsent(namespace).forEach(values::add);
        spec.putArray("validationActions").add(switch (mode) {
            case ENFORCE -> "Deny";
            case WARN -> "Warn";
            default -> "Audit";
        });
        return binding;
    }

    private static ObjectNode header(String kind, String name) {
        ObjectNode o = Json.MAPPER.createObjectNode().put("apiVersion", "admissionregistration.k8s.io/v1")
                .put("kind", kind);
        ObjectNode meta = o.putObject("metadata").put("name", name.toLowerCase(Locale.ROOT));
        meta.putObject("labels").put("app.kubernetes.io/managed-by", "ha-guard").put(LABEL, "true");
        return o;
    }
}

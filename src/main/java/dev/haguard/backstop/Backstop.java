package dev.haguard.backstop;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haguard.json.Json;
import dev.haguard.policy.Mode;
import dev.haguard.policy.OnError;
import dev.haguard.policy.Policy;
import dev.haguard.policy.RuleSet;
import dev.haguard.rules.imagereferences.ImageReferencesConfig;
import dev.haguard.rules.imagereferences.ImageReferencesRule;
import dev.haguard.rules.immutablepods.ImmutablePodsRule;
import dev.haguard.rules.immutableobjects.ImmutableObjectsConfig;
import dev.haguard.rules.immutableobjects.ImmutableObjectsRule;
import dev.haguard.policy.SimpleRuleConfig;
import dev.haguard.policy.WorkloadKind;
import dev.haguard.rules.minreplicas.MinReplicasConfig;
import dev.haguard.rules.minreplicas.MinReplicasRule;
import dev.haguard.rules.minreplicas.Words;
import dev.haguard.rules.readinessprobes.ReadinessProbesRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * ValidatingAdmissionPolicies (admissionregistration.k8s.io/v1, CEL) that the API server evaluates itself, generated
 * from a policy: the validating checks keep holding while no ha-guard replica answers. One policy and one binding per
 * check, shape of object and scope of the policy whose mode is not off, with that scope's settings written in;
 * enforce binds Deny, warn Warn, audit Audit. What CEL cannot say, or what is not generated yet, is listed in
 * {@link Export#notExpressed()}, never dropped silently.
 */
public final class Backstop {

    static final String PREFIX = "ha-guard-";
    /** The label on everything the backstop consists of. */
    public static final String LABEL = "haguard.dev/backstop";
    /** The default namespace of ha-guard, where the {@link Autoscaled} parameter lives. */
    public static final String NAMESPACE = "ha-guard";

    /** A resource a generated policy matches, as a webhook rule names it. */
    record Resource(String group, String resource, List<String> operations) {
    }

    /** A CEL variable of a generated policy. */
    record Variable(String name, String expression) {
    }

    /**
     * What a policy becomes.
     *
     * @param objects ValidatingAdmissionPolicies and their bindings
     * @param notExpressed what the webhook checks and the backstop does not, with why
     */
    public record Export(List<ObjectNode> objects, List<String> notExpressed) {

        /**
         * Only the policies bound Deny, with their bindings: what the leader keeps alongside a running webhook, which
         * gives the warnings itself (a Warn binding would repeat each one). Audit bindings are left out likewise: the
         * webhook's audit trail records those decisions.
         */
        public Export denyOnly() {
            List<String> denying = objects.stream().filter(o -> o.path("kind").asText().endsWith("Binding")
                    && o.path("spec").path("validationActions").get(0).asText().equals("Deny"))
                    .map(o -> o.path("spec").path("policyName").asText()).toList();
            return new Export(objects.stream().filter(o -> denying.contains(o.path("kind").asText().endsWith("Binding")
                    ? o.path("spec").path("policyName").asText() : o.path("metadata").path("name").asText())).toList(),
                    notExpressed);
        }
    }

    private Backstop() {
    }

    /** The policies and bindings for ha-guard running in {@code namespace} (its parameter and its exclusions). */
    public static Export of(Policy policy, String namespace) {
        Generated out = new Generated(policy, namespace);
        for (int scope = -1; scope < policy.overrides().size(); scope++) {
            RuleSet rules = scope < 0 ? policy.defaults() : policy.overrides().get(scope).rules();
            String scopeLabel = scope < 0 ? "defaults" : policy.overrides().get(scope).name();
            String scopeName = scope < 0 ? "defaults" : Conditions.name(scopeLabel);
            List<Conditions.Condition> common = new ArrayList<>(Conditions.exemptions(policy));
            common.add(Conditions.scope(policy, scope));
            MinReplicasConfig replicas = rules.get(MinReplicasRule.SETTINGS);
            for (MinReplicasBackstop.Shape shape : replicas.mode() == Mode.OFF ? List.<MinReplicasBackstop.Shape>of()
                    : MinReplicasBackstop.shapes(policy.workloadKinds())) {
                Check check = new Check("minReplicas", replicas.mode(), shape.resources(), with(common, shape.only()),
                        MinReplicasBackstop.variables(shape, replicas), true,
                        MinReplicasBackstop.fallback(shape, replicas, scopeLabel));
                out.add(PREFIX + "minreplicas-" + shape.name() + "-" + scopeName, check, MinReplicasBackstop.validation(),
                        MinReplicasBackstop.message(shape, replicas, scopeLabel));
                out.addKept(PREFIX + "minreplicas-kept-" + shape.name() + "-" + scopeName, check,
                        MinReplicasBackstop.keptValidation(), MinReplicasBackstop.keptMessage(shape, replicas));
            }
            if (replicas.mode() != Mode.OFF) {
                Check bare = new Check("minReplicas", replicas.mode(), MinReplicasBackstop.PODS, with(common,
                        MinReplicasBackstop.barePod()), List.of(), false, Words.barePod(replicas.minimum()));
                out.addKept(PREFIX + "minreplicas-kept-bare-pods-" + scopeName, bare, "false",
                        MinReplicasBackstop.barePodMessage(replicas));
            }
            SimpleRuleConfig probes = rules.get(ReadinessProbesRule.SETTINGS);
            for (ReadinessProbesBackstop.Shape shape : probes.mode() == Mode.OFF
                    ? List.<ReadinessProbesBackstop.Shape>of() : ReadinessProbesBackstop.shapes(policy.workloadKinds())) {
                Check check = new Check("readinessProbes", probes.mode(), shape.resources(), with(common, shape.only()),
                        ReadinessProbesBackstop.variables(shape), true, ReadinessProbesBackstop.fallback());
                out.add(PREFIX + "readinessprobes-" + shape.name() + "-" + scopeName, check,
                        ReadinessProbesBackstop.validation(), ReadinessProbesBackstop.message());
                out.addKept(PREFIX + "readinessprobes-kept-" + shape.name() + "-" + scopeName, check,
                        ReadinessProbesBackstop.keptValidation(), ReadinessProbesBackstop.keptMessage());
            }
            SimpleRuleConfig pods = rules.get(ImmutablePodsRule.SETTINGS);
            if (pods.mode() != Mode.OFF) {
                out.add(PREFIX + "immutablepods-" + scopeName, new Check("immutablePods", pods.mode(),
                        ImmutablePodsBackstop.RESOURCES, common, ImmutablePodsBackstop.variables(), false,
                        ImmutablePodsBackstop.fallback()), ImmutablePodsBackstop.validation(),
                        ImmutablePodsBackstop.message());
            }
            ImmutableObjectsConfig marked = rules.get(ImmutableObjectsRule.SETTINGS);
            if (marked.mode() != Mode.OFF) {
                out.add(PREFIX + "immutableobjects-" + scopeName, new Check("immutableObjects", marked.mode(),
                        ImmutableObjectsBackstop.RESOURCES, with(common, ImmutableObjectsBackstop.marked()),
                        ImmutableObjectsBackstop.variables(marked), false, ImmutableObjectsBackstop.fallback()),
                        ImmutableObjectsBackstop.validation(), ImmutableObjectsBackstop.message());
            }
            ImageReferencesConfig images = rules.get(ImageReferencesRule.SETTINGS);
            for (ImageReferencesBackstop.Shape shape : images.mode() == Mode.OFF
                    ? List.<ImageReferencesBackstop.Shape>of() : ImageReferencesBackstop.shapes(policy.workloadKinds())) {
                List<Conditions.Condition> conditions = new ArrayList<>(common);
                conditions.addAll(ImageReferencesBackstop.conditions(shape));
                Check check = new Check("imageReferences", images.mode(), shape.resources(), conditions,
                        ImageReferencesBackstop.variables(shape, images), false,
                        ImageReferencesBackstop.fallback(images));
                out.add(PREFIX + "imagereferences-" + shape.name() + "-" + scopeName, check,
                        ImageReferencesBackstop.validation(), ImageReferencesBackstop.message(images));
                out.addKept(PREFIX + "imagereferences-kept-" + shape.name() + "-" + scopeName, check,
                        ImageReferencesBackstop.existingValidation(), ImageReferencesBackstop.existingMessage(images));
            }
        }
        List<String> notExpressed = List.of(
                "minReplicas and readinessProbes on a workload an HPA sizes need to know which ones: the backstop "
                        + "reads them from the ConfigMap "
                        + Autoscaled.NAME + ", which ha-guard's leader keeps from its HPA cache (within 10 s of a "
                        + "change); printed here empty",
                "immutableObjects locking ConfigMaps and Secrets at CREATE (immutable: true): a mutation",
                "disruptionBudgets and backups: they judge an object against others (budgets, workloads, Velero's "
                        + "Schedules), which a ValidatingAdmissionPolicy cannot read",
                "topologySpread: a mutation; a ValidatingAdmissionPolicy only validates",
                "databaseStorage: it reads each database image's data directories from ha-guard's own table; a "
                        + "warning, which the running webhook gives",
                "placement: judged by the scan from where pods run; no request shows it",
                "policyDocument: the policy ConfigMap check needs ha-guard's parser",
                "the audit trail: a request the backstop denies never reaches the webhook (the API server runs "
                        + "ValidatingAdmissionPolicies first and stops at the first denial), so ha-guard's trail does "
                        + "not record it; the API server's audit log does");
        return new Export(List.copyOf(out.objects), notExpressed);
    }

    /**
     * One check of a rule in a scope: what it matches, under which conditions, with which variables, and whether it
     * reads the {@link Autoscaled} parameter.
     */
    private record Check(String rule, Mode mode, List<Resource> resources, List<Conditions.Condition> conditions,
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

    private static List<Conditions.Condition> with(List<Conditions.Condition> common, Conditions.Condition... only) {
        return with(common, List.of(only));
    }

    private static List<Conditions.Condition> with(List<Conditions.Condition> common, List<Conditions.Condition> only) {
        List<Conditions.Condition> out = new ArrayList<>(common);
        out.addAll(only);
        return out;
    }

    /** The objects generated so far, each policy followed by its binding. */
    private static final class Generated {

        private final Policy policy;
        private final String namespace;
        private final List<ObjectNode> objects = new ArrayList<>();

        Generated(Policy policy, String namespace) {
            this.policy = policy;
            this.namespace = namespace;
        }

        /** The check itself, bound as the rule's mode says. */
        void add(String name, Check check, String validation, String message) {
            add(name, check, check.mode(), validation, message);
        }

        /**
         * The engine's notice for what an UPDATE keeps from before (admitted): a second policy, bound Warn, or Audit
         * under audit.
         */
        void addKept(String name, Check check, String validation, String message) {
            add(name, check, check.mode() == Mode.AUDIT ? Mode.AUDIT : Mode.WARN, validation, message);
        }

        private void add(String name, Check check, Mode action, String validation, String message) {
            objects.add(parameterized(check.parameterized(), policyObject(name, policy.onError(), check.resources(),
                    check.conditions(), check.variables(), validation, words(check.rule(), check.mode(), action,
                            message), fallback(check.rule(), check.mode(), action, check.fallback()))));
            objects.add(parameter(check.parameterized(), binding(name, action, namespace), namespace));
        }
    }

    /** A policy-named workload kind's part of a generated name: its resource and group, e.g. rollouts-argoproj-io. */
    static String shapeName(WorkloadKind kind) {
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

package dev.haguard.backstop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haguard.engine.Admission;
import dev.haguard.json.Json;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.extensions.CelStringExtensions;
import dev.cel.extensions.CelStringExtensions.Function;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Evaluates generated ValidatingAdmissionPolicies as the API server would, with cel-java: match the resource and
 * operation, every matchCondition, the variables in order, then the validations; a failed validation yields its
 * binding's action and message. An evaluation error is what failurePolicy Ignore makes of it: not applied, reported.
 */
final class CelPolicies {

    /**
     * Kubernetes' CEL has the strings extension at version 1 in every version ("CEL options, language features, and
     * libraries" in kubernetes/website's docs/reference/using-api/cel.md): these functions and no others.
     */
    private static final CelStringExtensions STRINGS = CelExtensions.strings(Function.CHAR_AT, Function.INDEX_OF,
            Function.LAST_INDEX_OF, Function.LOWER_ASCII, Function.UPPER_ASCII, Function.REPLACE, Function.SPLIT,
            Function.JOIN, Function.SUBSTRING, Function.TRIM);
    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS).addLibraries(STRINGS).addVar("object", SimpleType.DYN)
            .addVar("oldObject", SimpleType.DYN).addVar("request", SimpleType.DYN).addVar("namespaceObject", SimpleType.DYN)
            .addVar("params", SimpleType.DYN).addVar("variables", SimpleType.DYN).build();
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().addLibraries(STRINGS).build();

    /** What the backstop did with one request: the action of the binding that failed, and the message. */
    record Verdict(String action, String message) {
    }

    private final List<ObjectNode> objects;
    private static final Map<String, CelRuntime.Program> PROGRAMS = new java.util.concurrent.ConcurrentHashMap<>();

    /** Refuses, as the API server's validation of the objects would, a static message that is blank or not one line. */
    CelPolicies(List<ObjectNode> objects) {
        this.objects = objects;
        for (ObjectNode o : objects) {
            for (JsonNode check : o.path("spec").path("validations")) {
                String message = check.path("message").asText();
                if (message.isBlank() || message.strip().contains("\n")) {
                    throw new AssertionError("the API server refuses " + o.path("metadata").path("name").asText()
                            + ": message must be non-empty and must not contain line breaks: " + message);
                }
            }
        }
    }

    /** Every failed validation, by policy name; the objects as the engine's typed model writes them; no params. */
    Map<String, Verdict> evaluate(Admission a, Map<String, String> namespaceLabels) {
        return evaluate(a, namespaceLabels, a.object() == null ? null : Json.tree(a.object()),
                a.oldObject() == null ? null : Json.tree(a.oldObject()), null);
    }

    /**
     * Every failed validation, by policy name, on the objects exactly as the API server sent them, with
     * {@code params} (a ConfigMap) as the parameter of the policies that declare a paramKind.
     */
    Map<String, Verdict> evaluate(Admission a, Map<String, String> namespaceLabels, JsonNode object, JsonNode oldObject,
            JsonNode params) {
        Map<String, Object> vars = variables(a, namespaceLabels, object, oldObject);
        Map<String, Verdict> failed = new LinkedHashMap<>();
        for (ObjectNode vap : objects) {
            if (!vap.path("kind").asText().equals("ValidatingAdmissionPolicy") || !matches(vap, a)) {
                continue;
            }
            String name = vap.path("metadata").path("name").asText();
            if (!bound(name, a)) {
                continue;
            }
            vars.put("params", vap.path("spec").has("paramKind") ? value(params) : NULL);
            boolean applies = true;
            for (JsonNode c : vap.path("spec").path("matchConditions")) {
                applies &= Boolean.TRUE.equals(eval(c.path("expression").asText(), vars, name));
            }
            if (!applies) {
                continue;
            }
            Map<String, Object> variables = new HashMap<>();
            vars.put("variables", variables);
            for (JsonNode v : vap.path("spec").path("variables")) {
                variables.put(v.path("name").asText(), eval(v.path("expression").asText(), vars, name));
            }
            for (JsonNode check : vap.path("spec").path("validations")) {
                if (!Boolean.TRUE.equals(eval(check.path("expression").asText(), vars, name))) {
                    failed.put(name, new Verdict(action(name), shown(eval(check.path("messageExpression").asText(),
                            vars, name), check)));
                }
            }
        }
        return failed;
    }

    /** The variables the API server gives CEL for this request: object, oldObject, request, namespaceObject. */
    static Map<String, Object> variables(Admission a, Map<String, String> namespaceLabels, JsonNode object,
            JsonNode oldObject) {
        Map<String, Object> vars = new HashMap<>();
        vars.put("object", value(object));
        vars.put("oldObject", value(oldObject));
        vars.put("namespaceObject", a.namespace().isEmpty() ? NULL : Map.of("metadata", Map.of("name", a.namespace(),
                "labels", Map.copyOf(namespaceLabels))));
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("operation", a.operation().name());
        // AdmissionRequest's name, namespace and subResource are omitempty: absent, not "", when empty.
        putUnlessEmpty(request, "namespace", a.namespace());
        putUnlessEmpty(request, "name", a.name());
        putUnlessEmpty(request, "subResource", a.subResource());
        request.put("kind", Map.of("group", a.group(), "version", a.version(), "kind", a.kind()));
        request.put("userInfo", Map.of("username", a.userName(), "groups", List.copyOf(a.userGroups())));
        request.put("resource", Map.of("group", a.group(), "version", a.version(), "resource", a.resource()));
        request.put("dryRun", a.dryRun());
        vars.put("request", request);
        return vars;
    }

    /** The most the API server shows of a messageExpression's result: celconfig.MaxEvaluatedMessageExpressionSizeBytes. */
    private static final int MESSAGE_LIMIT = 5 * 1024;

    /** Whether a message, trimmed, is longer than the API server shows. */
    static boolean overLimit(String message) {
        return message.strip().getBytes(StandardCharsets.UTF_8).length > MESSAGE_LIMIT;
    }

    /**
     * The message the API server gives for a failed validation (Kubernetes' validating policy plugin, validator.go):
     * the messageExpression's result trimmed, unless it is longer than {@link #MESSAGE_LIMIT} bytes or holds a line
     * break; then the static message; without one, "failed expression: " and the expression.
     */
    private static String shown(Object result, JsonNode check) {
        String message = result instanceof String s ? s.strip() : "";
        if (overLimit(message) || message.contains("\n")) {
            message = "";
        }
        if (message.isEmpty()) {
            message = check.path("message").asText().strip();
        }
        return message.isEmpty() ? "failed expression: " + check.path("expression").asText().strip() : message;
    }

    private static void putUnlessEmpty(Map<String, Object> map, String key, String value) {
        if (value != null && !value.isEmpty()) {
            map.put(key, value);
        }
    }

    private boolean matches(ObjectNode vap, Admission a) {
        for (JsonNode rule : vap.path("spec").path("matchConstraints").path("resourceRules")) {
            String groups = rule.path("apiGroups").get(0).asText();
            String resources = rule.path("resources").get(0).asText();
            boolean group = groups.equals("*") || groups.equals(a.group());
            boolean resource = resources.equals("*") ? a.onMainResource() : resources.equals(a.resourcePath());
            boolean operation = false;
            for (JsonNode op : rule.path("operations")) {
                operation |= op.asText().equals(a.operation().name());
            }
            if (group && resource && operation) {
                return true;
            }
        }
        return false;
    }

    private JsonNode binding(String policyName) {
        return objects.stream().filter(o -> o.path("kind").asText().equals("ValidatingAdmissionPolicyBinding")
                && o.path("spec").path("policyName").asText().equals(policyName)).findFirst().orElseThrow();
    }

    private String action(String policyName) {
        return binding(policyName).path("spec").path("validationActions").get(0).asText();
    }

    /** The binding's namespaceSelector, as the backstop writes it: kubernetes.io/metadata.name NotIn a list. */
    private boolean bound(String policyName, Admission a) {
        for (JsonNode e : binding(policyName).path("spec").path("matchResources").path("namespaceSelector")
                .path("matchExpressions")) {
            if (!e.path("key").asText().equals("kubernetes.io/metadata.name") || !e.path("operator").asText()
                    .equals("NotIn")) {
                throw new AssertionError("a namespaceSelector this harness does not evaluate: " + e);
            }
            for (JsonNode v : e.path("values")) {
                if (v.asText().equals(a.namespace())) {
                    return false;
                }
            }
        }
        return true;
    }

    /** {@code expression} evaluated on {@code vars}; a failure to compile or evaluate fails the test, naming {@code where}. */
    static Object eval(String expression, Map<String, Object> vars, String where) {
        try {
            CelRuntime.Program program = PROGRAMS.get(expression);
            if (program == null) {
                program = RUNTIME.createProgram(COMPILER.compile(expression).getAst());
                PROGRAMS.put(expression, program);
            }
            return program.eval(vars);
        } catch (CelValidationException e) {
            throw new AssertionError(where + ": " + expression + " does not compile: " + e.getMessage(), e);
        } catch (CelEvaluationException e) {
            throw new AssertionError(where + ": " + expression + " failed: " + e.getMessage(), e);
        }
    }

    static final Object NULL = evalNull();

    private static Object evalNull() {
        try {
            return RUNTIME.createProgram(COMPILER.compile("null").getAst()).eval(Map.of());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** JSON as CEL sees it: maps, lists, int64, double, strings, booleans, null. */
    static Object value(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return NULL;
        }
        if (n.isObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            n.properties().forEach(e -> m.put(e.getKey(), value(e.getValue())));
            return m;
        }
        if (n.isArray()) {
            List<Object> l = new ArrayList<>();
            n.forEach(e -> l.add(value(e)));
            return l;
        }
        if (n.isIntegralNumber()) {
            return n.asLong();
        }
        if (n.isNumber()) {
            return n.asDouble();
        }
        if (n.isBoolean()) {
            return n.asBoolean();
        }
        return n.asText();
    }

    static Optional<Verdict> only(Map<String, Verdict> failed) {
        if (failed.size() > 1) {
            throw new AssertionError("more than one backstop policy failed one request: " + failed.keySet());
        }
        return failed.values().stream().findFirst();
    }
}

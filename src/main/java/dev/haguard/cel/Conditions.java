package dev.haguard.cel;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.haguard.json.Json;
import dev.haguard.policy.Exemptions;
import dev.haguard.policy.Glob;
import dev.haguard.policy.Match;
import dev.haguard.policy.Policy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The CEL conditions every generated policy shares, as the engine decides them: the policy's exempt namespaces, the
 * exempt label where it is honoured (on an UPDATE the stored object must carry it too), break-glass users and groups
 * (never denied by the webhook; the backstop leaves them out entirely), and which scope of the policy applies (the
 * first override whose match holds, else the defaults). Uses only standard CEL: both the API server and cel-java have
 * it.
 */
public final class Conditions {

    private Conditions() {
    }

    /** One matchCondition: a name and an expression that is true where the policy applies. */
    public record Condition(String name, String expression) {
    }

    public static List<Condition> exemptions(Policy policy) {
        List<Condition> out = new ArrayList<>();
        Exemptions e = policy.exemptions();
        if (!e.namespaces().isEmpty()) {
            out.add(new Condition("not-an-exempt-namespace", "!" + inNamespaces(e.namespaces())));
        }
        if (!e.objectLabel().namespaces().isEmpty()) {
            String label = "'" + Exemptions.LABEL + "'";
            out.add(new Condition("not-labelled-exempt", "!(" + inNamespaces(e.objectLabel().namespaces())
                    + " && has(object.metadata.labels) && " + label + " in object.metadata.labels && object.metadata.labels["
                    + label + "] == 'true' && (oldObject == null || has(oldObject.metadata.labels) && " + label
                    + " in oldObject.metadata.labels && oldObject.metadata.labels[" + label + "] == 'true'))"));
        }
        Exemptions.BreakGlass glass = e.breakGlass();
        if (!glass.users().isEmpty() || !glass.groups().isEmpty()) {
            out.add(new Condition("not-break-glass", "!(request.userInfo.username in " + list(glass.users())
                    + " || has(request.userInfo.groups) && request.userInfo.groups.exists(g, g in "
                    + list(glass.groups()) + "))"));
        }
        return out;
    }

    /** True where override {@code index} applies (-1: the defaults): its match holds and no earlier one does. */
    public static Condition scope(Policy policy, int index) {
        List<String> parts = new ArrayList<>();
        int earlier = index < 0 ? policy.overrides().size() : index;
        for (int i = 0; i < earlier; i++) {
            parts.add("!" + match(policy.overrides().get(i).match()));
        }
        if (index >= 0) {
            parts.add(match(policy.overrides().get(index).match()));
        }
        String name = index < 0 ? "scope-defaults" : "scope-" + name(policy.overrides().get(index).name());
        return new Condition(name, parts.isEmpty() ? "true" : String.join(" && ", parts));
    }

    private static String match(Match m) {
        List<String> all = new ArrayList<>();
        if (!m.namespaces().isEmpty()) {
            all.add(inNamespaces(m.namespaces()));
        }
        all.add(labels("namespaceObject", m.namespaceLabels(), true));
        all.add(labels("object", m.objectLabels(), false));
        return "(" + all.stream().filter(s -> !s.isEmpty()).collect(Collectors.joining(" && ")) + ")";
    }

    private static String labels(String of, Map<String, String> wanted, boolean nullable) {
        if (wanted.isEmpty()) {
            return "";
        }
        String has = (nullable ? of + " != null && " : "") + "has(" + of + ".metadata.labels)";
        return "(" + has + wanted.entrySet().stream().map(e -> " && " + Cel.lit(e.getKey()) + " in " + of
                + ".metadata.labels && " + of + ".metadata.labels[" + Cel.lit(e.getKey()) + "] == " + Cel.lit(e.getValue()))
                .collect(Collectors.joining()) + ")";
    }

    /** A scope's name as a Kubernetes name part: lowercase letters, digits and dashes. */
    public static String name(String scope) {
        String n = scope.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        return n.isEmpty() ? "scope" : n;
    }

    public static String inNamespaces(List<Glob> globs) {
        return Cel.NAMESPACE + ".matches('^(" + globs.stream().map(g -> g.toString().replace(".", "\\\\.")
                .replace("*", ".*").replace("?", ".")).collect(Collectors.joining("|")) + ")$')";
    }

    public static String list(List<String> values) {
        return values.stream().map(Cel::lit).collect(Collectors.joining(", ", "[", "]"));
    }

    /** A workload kind's object without {@code podSpec} (a Rollout with a workloadRef) is not judged: no template. */
    public static Condition podTemplate(String podSpec) {
        return new Condition("has-a-pod-template", Cel.present("object", podSpec));
    }

    public static ArrayNode json(List<Condition> conditions) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        conditions.forEach(c -> out.addObject().put("name", c.name()).put("expression", c.expression()));
        return out;
    }
}

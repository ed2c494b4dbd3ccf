package dev.haguard.rules.common;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;

/**
 * Label selectors with Kubernetes' semantics (k8s.io/apimachinery metav1.LabelSelectorAsSelector): every matchLabels
 * pair and every matchExpressions requirement must hold; In and NotIn compare the value (NotIn also holds where the
 * label is absent), Exists and DoesNotExist test the key. A PodDisruptionBudget's null selector selects no pod and
 * an empty one every pod of its namespace (policy/v1 PodDisruptionBudgetSpec.selector).
 */
public final class Selectors {

    private Selectors() {
    }

    public static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return false;
        }
        // A null key or value is one the API server refuses: it matches nothing here rather than failing.
        if (selector.getMatchLabels() != null && !selector.getMatchLabels().entrySet().stream()
                .allMatch(e -> e.getKey() != null && e.getValue() != null && e.getValue().equals(labels.get(e.getKey())))) {
            return false;
        }
        return selector.getMatchExpressions() == null
                || selector.getMatchExpressions().stream().allMatch(r -> holds(r, labels));
    }

    private static boolean holds(LabelSelectorRequirement r, Map<String, String> labels) {
        if (r.getKey() == null) {
            return false;
        }
        List<String> values = r.getValues() == null ? List.of() : r.getValues();
        String value = labels.get(r.getKey());
        return switch (r.getOperator() == null ? "" : r.getOperator()) {
            case "In" -> value != null && values.contains(value);
            case "NotIn" -> value == null || !values.contains(value);
            case "Exists" -> labels.containsKey(r.getKey());
            case "DoesNotExist" -> !labels.containsKey(r.getKey());
            default -> false; // an operator the API server would have refused
        };
    }

    /**
     * Label pairs ({@link #pair}) of which a label set must hold one to be selected: the selector's first matchLabels
     * pair, else each value of its first In expression; none for a null selector, which selects nothing; null where no
     * single pair is needed (an empty selector, or only Exists, NotIn and DoesNotExist). What {@link SelectorIndex} and
     * {@link LabelsIndex} file and look up by.
     */
    static List<String> neededPairs(LabelSelector selector) {
        if (selector == null) {
            return List.of();
        }
        if (selector.getMatchLabels() != null && !selector.getMatchLabels().isEmpty()) {
            var first = selector.getMatchLabels().entrySet().iterator().next();
            return first.getKey() == null || first.getValue() == null ? List.of()
                    : List.of(pair(first.getKey(), first.getValue()));
        }
        for (LabelSelectorRequirement r : selector.getMatchExpressions() == null ? List.<LabelSelectorRequirement>of()
                : selector.getMatchExpressions()) {
            if ("In".equals(r.getOperator()) && r.getKey() != null) {
                return r.getValues() == null ? List.of() : r.getValues().stream().distinct().map(v -> pair(r.getKey(), v))
                        .toList();
            }
        }
        return null;
    }

    /** A label pair as the indexes file it (neither a key nor a value may hold '='). */
    static String pair(String key, String value) {
        return key + "=" + value;
    }

    /** As a person writes it: app=web,tier in (a,b). */
    public static String describe(LabelSelector selector) {
        if (selector == null) {
            return "(null: selects nothing)";
        }
        StringBuilder out = new StringBuilder();
        if (selector.getMatchLabels() != null) {
            selector.getMatchLabels().forEach((k, v) -> out.append(out.isEmpty() ? "" : ",").append(k).append('=').append(v));
        }
        if (selector.getMatchExpressions() != null) {
            selector.getMatchExpressions().forEach(r -> out.append(out.isEmpty() ? "" : ",").append(r.getKey()).append(' ')
                    .append(r.getOperator()).append(r.getValues() == null || r.getValues().isEmpty() ? ""
                            : " (" + String.join(",", r.getValues()) + ")"));
        }
        return out.isEmpty() ? "{} (every pod of the namespace)" : out.toString();
    }
}

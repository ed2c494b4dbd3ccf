package dev.haguard.engine;

import dev.haguard.policy.Mode;
import java.util.Map;

/**
 * One rule's part in a decision: its mode, what it came to, and the message or skip reason. {@code covered} is
 * false when the rule does not judge this kind of request at all (its coverage), as opposed to a rule that looked
 * and skipped for a reason of this object's.
 */
public record RuleDecision(String rule, Mode mode, Outcome outcome, String message, boolean covered,
        Map<String, String> facts) {

    public RuleDecision(String rule, Mode mode, Outcome outcome, String message) {
        this(rule, mode, outcome, message, true);
    }

    public RuleDecision(String rule, Mode mode, Outcome outcome, String message, boolean covered) {
        this(rule, mode, outcome, message, covered, Map.of());
    }
}

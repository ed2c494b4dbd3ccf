package dev.haguard.engine;

import dev.haguard.policy.Mode;

/** One rule's part in a decision: its mode, what it came to, and the message or skip reason. */
public record RuleDecision(String rule, Mode mode, Outcome outcome, String message) {
}

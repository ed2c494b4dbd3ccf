package dev.haguard.policy;

/**
 * A scoped override: where {@code match} holds, {@code rules} replace the defaults key by key.
 *
 * @param name how decisions and audit records name the scope
 */
public record PolicyOverride(String name, Match match, RuleSet rules) {

    public PolicyOverride {
        PolicyException.require(name != null && !name.isBlank(), "name", "is required (it names the scope in decisions)");
        PolicyException.require(match != null, "match", "is required");
        rules = rules == null ? RuleSet.EMPTY : rules;
    }
}

package dev.haguard.policy;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a rule's finding is acted on. */
public enum Mode {
    /** Deny a violation; apply a mutation. */
    @JsonProperty("enforce") ENFORCE,
    /** Admit, and tell the user through a kubectl warning. */
    @JsonProperty("warn") WARN,
    /** Admit silently; the decision is only recorded. */
    @JsonProperty("audit") AUDIT,
    /** Do not evaluate the rule at all. */
    @JsonProperty("off") OFF;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}

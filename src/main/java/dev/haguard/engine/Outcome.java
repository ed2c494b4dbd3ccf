package dev.haguard.engine;

/** What a rule's finding amounted to under the policy's mode: the vocabulary of the audit log. */
public enum Outcome {
    PASS, SKIP, DENY, WARN, AUDIT, MUTATE, ERROR;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}

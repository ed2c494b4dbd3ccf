package dev.haguard.scan;

import dev.haguard.engine.Outcome;

/** How much a scan finding weighs: a denial under enforce (or an internal error) is high, a warning medium, the rest low. */
public enum Severity {
    low, medium, high;

    /** The weight of a rule's outcome; null for one that is no finding (pass, skip). */
    static Severity of(Outcome outcome) {
        return switch (outcome) {
            case DENY, ERROR -> high;
            case WARN -> medium;
            case AUDIT, MUTATE -> low;
            default -> null;
        };
    }
}

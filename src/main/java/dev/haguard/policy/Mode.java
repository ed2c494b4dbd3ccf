package dev.haguard.policy;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/** How a rule's finding is acted on. */
public enum Mode {
    /** Deny a violation; apply a mutation. */
    ENFORCE,
    /** Admit, and tell the user through a kubectl warning. */
    WARN,
    /** Admit silently; the decision is only recorded. */
    AUDIT,
    /** Do not evaluate the rule at all. */
    OFF;

    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** YAML 1.1 reads an unquoted {@code off} as the boolean false: accept it as what the admin meant. */
    @JsonCreator
    public static Mode of(Object value) {
        if (Boolean.FALSE.equals(value)) {
            return OFF;
        }
        return Arrays.stream(values()).filter(m -> m.label().equals(value)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown mode; expected one of enforce, warn, audit, off"));
    }
}

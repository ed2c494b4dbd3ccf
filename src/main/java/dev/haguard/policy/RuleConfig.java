package dev.haguard.policy;

/**
 * What every rule's settings have in common. Fields are null where a document leaves them unset;
 * {@link #over} fills them from the settings below (defaults under an override, built-ins under defaults).
 */
public interface RuleConfig<C extends RuleConfig<C>> {

    Mode mode();

    /** These settings, with every unset field taken from {@code base}. */
    C over(C base);

    static <T> T or(T value, T base) {
        return value != null ? value : base;
    }
}

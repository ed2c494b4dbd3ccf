package dev.haguard.policy;

/** What every rule's settings have in common. */
public interface RuleConfig {
    Mode mode();

    static Mode modeOr(Mode mode) {
        return mode == null ? Mode.ENFORCE : mode;
    }
}

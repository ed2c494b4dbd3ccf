package dev.haguard.policy;

/** Settings of a rule that has nothing to set but its mode (immutablePods). */
public record SimpleRuleConfig(Mode mode) implements RuleConfig {

    public SimpleRuleConfig {
        mode = RuleConfig.modeOr(mode);
    }
}

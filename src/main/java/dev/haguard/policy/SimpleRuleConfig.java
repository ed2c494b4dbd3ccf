package dev.haguard.policy;

/** Settings of a rule that has nothing to set but its mode (immutablePods). */
public record SimpleRuleConfig(Mode mode) implements RuleConfig<SimpleRuleConfig> {

    static final SimpleRuleConfig BUILT_IN = new SimpleRuleConfig(Mode.ENFORCE);

    @Override
    public SimpleRuleConfig over(SimpleRuleConfig base) {
        return new SimpleRuleConfig(RuleConfig.or(mode, base.mode));
    }
}

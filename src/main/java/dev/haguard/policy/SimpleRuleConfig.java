package dev.haguard.policy;

/** Settings of a rule that has nothing to set but its mode (immutablePods, policyDocument). */
public record SimpleRuleConfig(Mode mode) implements RuleConfig<SimpleRuleConfig> {

    public static final SimpleRuleConfig ENFORCED = new SimpleRuleConfig(Mode.ENFORCE);

    @Override
    public SimpleRuleConfig over(SimpleRuleConfig base) {
        return new SimpleRuleConfig(RuleConfig.or(mode, base.mode));
    }
}

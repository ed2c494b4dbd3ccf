package dev.haguard.rules.disruptionbudgets;

import dev.haguard.policy.Mode;
import dev.haguard.policy.RuleConfig;

/**
 * Settings of the disruptionBudgets rule.
 *
 * @param createDefault whether the background scan's leader gives each Deployment and StatefulSet of 2 or more
 *                      replicas (or an HPA minimum of 2 or more) that no budget selects a PodDisruptionBudget of its
 *                      own, maxUnavailable: 1, owned by the workload ({@link DefaultBudgets}); off unless a scope asks
 */
public record DisruptionBudgetsConfig(Mode mode, Boolean createDefault) implements RuleConfig<DisruptionBudgetsConfig> {

    static final DisruptionBudgetsConfig BUILT_IN = new DisruptionBudgetsConfig(Mode.WARN, false);

    @Override
    public DisruptionBudgetsConfig over(DisruptionBudgetsConfig base) {
        return new DisruptionBudgetsConfig(RuleConfig.or(mode, base.mode), RuleConfig.or(createDefault,
                base.createDefault));
    }

    /** Whether budgets are made where these settings apply: asked, and the rule not off. */
    boolean creates() {
        return Boolean.TRUE.equals(createDefault) && mode != Mode.OFF;
    }
}

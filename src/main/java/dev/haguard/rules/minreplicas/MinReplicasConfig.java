package dev.haguard.rules.minreplicas;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.haguard.policy.Mode;
import dev.haguard.policy.PolicyException;
import dev.haguard.policy.RuleConfig;

/**
 * Settings of the minReplicas rule.
 *
 * @param minimum the fewest replicas a Deployment, StatefulSet, unowned ReplicaSet or HPA may ask for
 * @param action {@code deny}: refuse; {@code raise}: patch replicas up to the minimum on the mutating webhook
 * @param allowScaleToZero admit 0 replicas (a deliberate pause) even though 0 is below the minimum
 */
public record MinReplicasConfig(Mode mode, Integer minimum, Action action, Boolean allowScaleToZero)
        implements RuleConfig<MinReplicasConfig> {

    static final MinReplicasConfig BUILT_IN = new MinReplicasConfig(Mode.ENFORCE, 2, Action.DENY, false);

    public enum Action {
        @JsonProperty("deny") DENY,
        @JsonProperty("raise") RAISE
    }

    public MinReplicasConfig {
        PolicyException.require(minimum == null || minimum >= 1, "minimum", "must be at least 1, got " + minimum);
    }

    @Override
    public MinReplicasConfig over(MinReplicasConfig base) {
        return new MinReplicasConfig(RuleConfig.or(mode, base.mode), RuleConfig.or(minimum, base.minimum),
                RuleConfig.or(action, base.action), RuleConfig.or(allowScaleToZero, base.allowScaleToZero));
    }
}

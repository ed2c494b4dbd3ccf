package dev.haguard.rules.placement;

import dev.haguard.rules.common.ApiKinds;
import dev.haguard.engine.ApiKind;
import dev.haguard.engine.Coverage;
import dev.haguard.engine.Finding;
import dev.haguard.engine.Rule;
import dev.haguard.engine.RuleContext;
import dev.haguard.engine.StateFinding;
import dev.haguard.engine.Stored;
import dev.haguard.policy.Mode;
import dev.haguard.policy.RuleSettings;
import dev.haguard.policy.SimpleRuleConfig;
import java.util.List;

/**
 * Where replicas actually run, judged by the scan from live state (pods' nodes, Nodes' zone labels, PersistentVolumes'
 * node affinity): every ready replica on one node, every one in one zone of several, fewer ready than asked for,
 * volumes pinned to one zone, a cluster whose schedulable nodes share one zone. No admission request shows any of this,
 * so the rule has no webhook part. Under {@code enforce} (the default) a workload on one node is a high finding;
 * {@code warn} reports everything as medium, {@code audit} as low, {@code off} not at all.
 */
public final class PlacementRule implements Rule<SimpleRuleConfig> {

    /** Its key in the policy, its settings and the settings where a policy says nothing. */
    public static final RuleSettings<SimpleRuleConfig> SETTINGS =
            RuleSettings.of("placement", SimpleRuleConfig.class, new SimpleRuleConfig(Mode.ENFORCE));

    @Override
    public String notInCel() {
        return "judged by the scan from where pods run; no request shows it";
    }

    @Override
    public List<ApiKind> reads() {
        return List.of(ApiKinds.NODE, ApiKinds.POD, ApiKinds.PERSISTENT_VOLUME, ApiKinds.PERSISTENT_VOLUME_CLAIM,
                ApiKinds.DEPLOYMENT, ApiKinds.STATEFUL_SET, ApiKinds.REPLICA_SET);
    }

    @Override
    public RuleSettings<SimpleRuleConfig> settings() {
        return SETTINGS;
    }

    @Override
    public List<Coverage> coverage() {
        return List.of();
    }

    @Override
    public Finding evaluate(RuleContext context, SimpleRuleConfig config) {
        return Finding.skip("judged by the scan, from where pods run");
    }

    @Override
    public List<StateFinding> judgeStored(Stored stored, ScopedSettings<SimpleRuleConfig> settings) {
        return new Placement(stored).findings();
    }
}

package dev.haguard.policy;

/** The settings of every rule. In a document, an omitted rule or key inherits from the level below. */
public record RuleSet(
        TopologySpreadConfig topologySpread,
        MinReplicasConfig minReplicas,
        ImmutableObjectsConfig immutableObjects,
        SimpleRuleConfig immutablePods,
        ImageReferencesConfig imageReferences) {

    /** What applies where a policy says nothing. */
    public static final RuleSet BUILT_IN = new RuleSet(TopologySpreadConfig.BUILT_IN, MinReplicasConfig.BUILT_IN,
            ImmutableObjectsConfig.BUILT_IN, SimpleRuleConfig.BUILT_IN, ImageReferencesConfig.BUILT_IN);

    /** These settings over {@code base}: what this set leaves unset, base decides. */
    public RuleSet over(RuleSet base) {
        return new RuleSet(merge(topologySpread, base.topologySpread), merge(minReplicas, base.minReplicas),
                merge(immutableObjects, base.immutableObjects), merge(immutablePods, base.immutablePods),
                merge(imageReferences, base.imageReferences));
    }

    private static <C extends RuleConfig<C>> C merge(C config, C base) {
        return config == null ? base : config.over(base);
    }
}

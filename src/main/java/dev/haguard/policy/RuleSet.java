package dev.haguard.policy;

/** The settings of every rule, as one request sees them. Omitted rules get their defaults. */
public record RuleSet(
        TopologySpreadConfig topologySpread,
        MinReplicasConfig minReplicas,
        ImmutableObjectsConfig immutableObjects,
        SimpleRuleConfig immutablePods,
        ImageReferencesConfig imageReferences) {

    public RuleSet {
        topologySpread = topologySpread == null ? new TopologySpreadConfig(null, null, null, null, null, null) : topologySpread;
        minReplicas = minReplicas == null ? new MinReplicasConfig(null, null, null, null) : minReplicas;
        immutableObjects = immutableObjects == null ? new ImmutableObjectsConfig(null, null) : immutableObjects;
        immutablePods = immutablePods == null ? new SimpleRuleConfig(null) : immutablePods;
        imageReferences = imageReferences == null ? new ImageReferencesConfig(null, null) : imageReferences;
    }
}

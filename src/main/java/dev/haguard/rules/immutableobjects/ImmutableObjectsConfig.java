package dev.haguard.rules.immutableobjects;

import dev.haguard.policy.Mode;
import dev.haguard.policy.RuleConfig;
import java.util.List;

/**
 * Settings of the immutableObjects rule (objects labelled haguard.dev/immutable: "true").
 *
 * @param allowedAnnotations annotations that controllers write, whose changes are not drift
 */
public record ImmutableObjectsConfig(Mode mode, List<String> allowedAnnotations)
        implements RuleConfig<ImmutableObjectsConfig> {

    static final ImmutableObjectsConfig BUILT_IN = new ImmutableObjectsConfig(Mode.ENFORCE, List.of(
            "deployment.kubernetes.io/revision",
            "deployment.kubernetes.io/revision-history",
            "deployment.kubernetes.io/desired-replicas",
            "deployment.kubernetes.io/max-replicas",
            "autoscaling.alpha.kubernetes.io/conditions",
            "autoscaling.alpha.kubernetes.io/current-metrics"));

    public ImmutableObjectsConfig {
        allowedAnnotations = allowedAnnotations == null ? null : List.copyOf(allowedAnnotations);
    }

    @Override
    public ImmutableObjectsConfig over(ImmutableObjectsConfig base) {
        return new ImmutableObjectsConfig(RuleConfig.or(mode, base.mode),
                RuleConfig.or(allowedAnnotations, base.allowedAnnotations));
    }
}

package dev.haguard.policy;

import java.util.List;

/**
 * Settings of the immutableObjects rule (objects labelled haguard.dev/immutable: "true").
 *
 * @param allowedAnnotations annotations that controllers write, whose changes are not drift
 */
public record ImmutableObjectsConfig(Mode mode, List<String> allowedAnnotations) implements RuleConfig {

    public static final List<String> DEFAULT_ALLOWED_ANNOTATIONS = List.of(
            "deployment.kubernetes.io/revision",
            "deployment.kubernetes.io/revision-history",
            "deployment.kubernetes.io/desired-replicas",
            "deployment.kubernetes.io/max-replicas",
            "autoscaling.alpha.kubernetes.io/conditions",
            "autoscaling.alpha.kubernetes.io/current-metrics");

    public ImmutableObjectsConfig {
        mode = RuleConfig.modeOr(mode);
        allowedAnnotations = allowedAnnotations == null ? DEFAULT_ALLOWED_ANNOTATIONS : List.copyOf(allowedAnnotations);
    }
}

package dev.haguard.policy;

/**
 * Settings of the imageReferences rule.
 *
 * @param requireDigest refuse any image not pinned by {@code @sha256:} digest, even with a fixed tag
 */
public record ImageReferencesConfig(Mode mode, Boolean requireDigest) implements RuleConfig {

    public ImageReferencesConfig {
        mode = RuleConfig.modeOr(mode);
        requireDigest = requireDigest != null && requireDigest;
    }
}

package dev.haguard.rules.imagereferences;

import dev.haguard.policy.Mode;
import dev.haguard.policy.RuleConfig;
/**
 * Settings of the imageReferences rule.
 *
 * @param requireDigest refuse any image not pinned by {@code @sha256:} digest, even with a fixed tag
 */
public record ImageReferencesConfig(Mode mode, Boolean requireDigest) implements RuleConfig<ImageReferencesConfig> {

    static final ImageReferencesConfig BUILT_IN = new ImageReferencesConfig(Mode.ENFORCE, false);

    @Override
    public ImageReferencesConfig over(ImageReferencesConfig base) {
        return new ImageReferencesConfig(RuleConfig.or(mode, base.mode), RuleConfig.or(requireDigest, base.requireDigest));
    }
}

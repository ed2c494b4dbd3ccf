package dev.haguard.cel;

import dev.haguard.policy.RuleConfig;
import java.util.List;

/**
 * A rule's part in the CEL backstop: what it adds, as ValidatingAdmissionPolicies and their bindings, for one scope
 * of the policy. A rule without one says why not instead ({@link dev.haguard.engine.Rule#notInCel()}).
 */
public interface CelBackstop<C extends RuleConfig<C>> {

    /** Adds this rule's checks for {@code scope}, whose settings for the rule are {@code config} (mode not off). */
    void addTo(CelScope scope, C config, ValidatingPolicies out);

    /** What of this rule the backstop leaves to the webhook, with why; nothing by default. */
    default List<String> notExpressed() {
        return List.of();
    }
}

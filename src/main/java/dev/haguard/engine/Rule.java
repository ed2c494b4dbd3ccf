package dev.haguard.engine;

import dev.haguard.policy.RuleConfig;
import dev.haguard.policy.RuleSet;

/**
 * One HA/DR rule. A rule looks at a {@link Review}, may change its working copy on the mutating webhook,
 * and says what it found. It never builds HTTP responses or JSON Patch, and never reads the mode:
 * the engine applies the mode to the finding.
 */
public interface Rule<C extends RuleConfig<C>> {

    /** The rule's key in the policy document and in audit records. */
    String name();

    /** This rule's settings out of the rule set that applies to the request. */
    C config(RuleSet rules);

    Finding evaluate(Review review, C config);

    /** The requests this rule needs to be sent; the install manifests are tested against it. */
    java.util.List<Coverage> coverage();

    /** Whether exempt namespaces and exempt objects skip this rule; false for ha-guard's own safeguards. */
    default boolean exemptible() {
        return true;
    }
}

package dev.haguard.engine;

import dev.haguard.policy.RuleConfig;
import dev.haguard.policy.RuleSettings;
import java.util.List;

/**
 * One HA/DR rule. A rule looks at a {@link RuleContext}, may change its working copy on the mutating webhook,
 * and says what it found. It never builds HTTP responses or JSON Patch, and never reads the mode:
 * the engine applies the mode to the finding.
 */
public interface Rule<C extends RuleConfig<C>> {

    /** Its key in the policy document and in audit records, its settings type and its built-in settings. */
    RuleSettings<C> settings();

    default String name() {
        return settings().key();
    }

    /**
     * The requests this rule judges. The engine skips every other request without calling {@link #evaluate}, and
     * the install manifests are tested to send all of these.
     */
    List<Coverage> coverage();

    /** Called only for requests within {@link #coverage()}, with the settings of the request's scope. */
    Finding evaluate(RuleContext context, C config);

    /**
     * Whether this rule also judges, on the validating webhook at CREATE and UPDATE, the workload kinds the policy
     * names ({@code workloadKinds}, e.g. Argo Rollouts), reading them through {@link RuleContext#workloadKind()}.
     */
    default boolean judgesWorkloadKinds() {
        return false;
    }

    /**
     * What this rule finds in what is stored, judged as a whole (where replicas run, whether backups are taken),
     * beyond each object as a request: the scan's part of the rule; none by default. {@code settings} gives the
     * rule's settings where a subject is, or null where the policy exempts it; the scan applies the mode.
     */
    default java.util.List<StateFinding> judgeStored(Stored stored, ScopedSettings<C> settings) {
        return java.util.List.of();
    }

    /**
     * The gauges {@link #judgeStored} measures ({@link Measure#metric()} to its description), which the background
     * scan exports per namespace; none by default.
     */
    default java.util.Map<String, String> measures() {
        return java.util.Map.of();
    }

    /** A rule's settings for a subject of the scan. */
    interface ScopedSettings<C> {
        /** The settings of the scope {@code namespace} and {@code labels} fall in; null where the policy exempts it. */
        C at(String namespace, java.util.Map<String, String> labels);

        /** A rule's settings under {@code policy}, its exemptions applied, for subjects of {@code stored}. */
        static <C extends RuleConfig<C>> ScopedSettings<C> of(Rule<C> rule, Stored stored,
                dev.haguard.policy.Policy policy) {
            return (namespace, labels) -> rule.exemptible() && policy.exemptions().exempt(namespace, labels) != null
                    ? null : policy.scope(namespace, stored.namespaceLabels(namespace), labels).rules()
                    .get(rule.settings());
        }
    }

    /**
     * Kinds this rule judges as the requests that would create them: what check reads as typed objects, and what a
     * scan lists (where the kind is scanned) and judges as it judges a manifest.
     */
    default java.util.List<ApiKind> judges() {
        return java.util.List.of();
    }

    /** Kinds this rule reads besides, judging stored state as a whole ({@link #judgeStored}): a scan lists them. */
    default java.util.List<ApiKind> reads() {
        return java.util.List.of();
    }

    /** What this rule asks the cluster view at admission: the server's caches must hold it, and RBAC allow it. */
    default java.util.Set<ClusterView.Need> clusterNeeds() {
        return java.util.Set.of();
    }

    /**
     * Reviews that exercise this rule, as resources beside its class (an AdmissionReview each, named
     * NAME.mutate.json or NAME.validate.json for the webhook it goes to), which the server sends itself before it
     * reports ready, so that no user request pays for compiling this rule's code.
     */
    default java.util.List<String> warmUp() {
        return java.util.List.of();
    }

    /**
     * Why this rule has no part in the CEL backstop (ValidatingAdmissionPolicies), for a rule that has none; null for
     * one that has (it implements the backstop's part). The backstop lists it as what it leaves to the webhook.
     */
    default String notInCel() {
        return null;
    }

    /**
     * Requests within {@link #coverage()} that this rule never judges, whatever the policy, as CEL conditions: where
     * every covering rule says so, the API server does not call the webhook. At most what {@link #evaluate} skips;
     * none by default.
     */
    default List<Unjudged> unjudged() {
        return List.of();
    }

    /** Whether exempt namespaces and exempt objects skip this rule; false for ha-guard's own safeguards. */
    default boolean exemptible() {
        return true;
    }
}

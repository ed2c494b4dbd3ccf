package dev.haguard.engine;

import dev.haguard.policy.Policy;
import dev.haguard.policy.RuleConfig;
import dev.haguard.policy.RuleSettings;
import dev.haguard.policy.WorkloadKind;
import java.util.Map;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * What a rule sees: the admission, which webhook is asking, the object to judge, and the cluster.
 * {@link #target()} is the object as the rules before this one left it, to read. A rule that changes the object
 * (only on the mutating webhook) asks for {@link #edit()} once it knows it will; those changes become the patch.
 */
public final class RuleContext {

    private final Admission admission;
    private final Webhook webhook;
    private final WorkingCopy working;
    private final ClusterView cluster;
    private final String scope;
    private final WorkloadKind workloadKind;
    private final Policy policy;

    RuleContext(Admission admission, Webhook webhook, WorkingCopy working, ClusterView cluster, String scope,
            WorkloadKind workloadKind, Policy policy) {
        this.admission = admission;
        this.webhook = webhook;
        this.working = working;
        this.cluster = cluster;
        this.scope = scope;
        this.workloadKind = workloadKind;
        this.policy = policy;
    }

    /** This context with its own working copy: what a rule outside enforce mode changes is reported, not made. */
    RuleContext withCopy() {
        return new RuleContext(admission, webhook, new WorkingCopy(target()), cluster, scope, workloadKind, policy);
    }

    /**
     * Where the policy's {@code workloadKinds} say this object keeps its replicas and pod template, when it is of
     * such a kind (an Argo Rollout); empty for every other object.
     */
    public Optional<WorkloadKind> workloadKind() {
        return Optional.ofNullable(workloadKind);
    }

    /**
     * A rule's settings for another namespace, or null when the policy exempts that namespace: for a rule that judges
     * what a change does to other namespaces (a Velero Schedule covers many).
     */
    public <C extends RuleConfig<C>> C settingsIn(String namespace, RuleSettings<C> settings) {
        if (policy.exemptions().namespaces().stream().anyMatch(g -> g.matches(namespace))) {
            return null;
        }
        return policy.scope(namespace, cluster.namespaceLabels(namespace), Map.of()).rules().get(settings);
    }

    public Admission admission() {
        return admission;
    }

    public Webhook webhook() {
        return webhook;
    }

    public ClusterView cluster() {
        return cluster;
    }

    /** Which part of the policy set this rule's settings: {@code defaults}, or the name of the override. */
    public String scope() {
        return scope;
    }

    public boolean mutating() {
        return webhook == Webhook.MUTATE;
    }

    /** The object to judge; not to be changed. */
    public HasMetadata target() {
        return working.current();
    }

    /** The copy to change, made on the first call. */
    public HasMetadata edit() {
        if (!mutating()) {
            throw new IllegalStateException("the validating webhook does not change objects");
        }
        return working.edit();
    }
}

package dev.haguard.engine;

import java.util.Set;

/**
 * Requests within a rule's coverage that the rule never judges, whatever the policy and the cluster: those for which
 * the CEL expression {@code when} holds, over the request as a webhook's matchConditions see it ({@code request},
 * {@code object}, {@code oldObject}). Where every rule that covers a request leaves it unjudged, the webhook
 * configuration's matchConditions keep the API server from calling ha-guard for it at all (see
 * {@code cel.MatchConditions}). {@code when} must hold only where {@link Rule#evaluate} skips, and must never fail on
 * a request of these resources and operations: an error makes the API server apply the webhook's failurePolicy, so
 * every field is tested with has() before it is read. {@code group} and {@code resource} may be {@code "*"} as in
 * {@link Coverage}.
 */
public record Unjudged(Webhook webhook, String group, String resource, Set<Operation> operations, String when,
        String why) {

    public Unjudged {
        operations = Set.copyOf(operations);
    }

    /** Whether this covers {@code resource} of {@code group} at {@code operation} on {@code on}. */
    public boolean covers(Webhook on, String group, String resource, Operation operation) {
        return new Coverage(webhook, this.group, this.resource, operations).covers(on, group, resource, operation);
    }
}

package dev.haguard.engine;

import java.util.Set;

/**
 * Requests a rule needs to see: the webhook configurations in deploy/ must send them to ha-guard.
 * {@code resource} may name a subresource ("deployments/scale"); {@code "*"} stands for every group or resource.
 */
public record Coverage(Webhook webhook, String group, String resource, Set<Operation> operations) {

    public static final Set<Operation> CREATE = Set.of(Operation.CREATE);
    public static final Set<Operation> UPDATE = Set.of(Operation.UPDATE);
    public static final Set<Operation> WRITES = Set.of(Operation.CREATE, Operation.UPDATE);
}

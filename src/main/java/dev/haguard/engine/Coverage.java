package dev.haguard.engine;

import java.util.Set;

/**
 * Requests a rule needs to see: the webhook configurations in deploy/ must send them to ha-guard, and the engine
 * asks the rule about no others. {@code resource} may name a subresource ("deployments/scale"); {@code "*"} stands
 * for every group, or every resource but not their subresources, as in a webhook configuration's rules.
 */
public record Coverage(Webhook webhook, String group, String resource, Set<Operation> operations) {

    public static final Set<Operation> CREATE = Set.of(Operation.CREATE);
    public static final Set<Operation> UPDATE = Set.of(Operation.UPDATE);
    public static final Set<Operation> WRITES = Set.of(Operation.CREATE, Operation.UPDATE);

    /** Whether {@code admission}, arriving on {@code on}, is one of these requests. */
    public boolean covers(Webhook on, Admission admission) {
        return covers(on, admission.group(), admission.resourcePath(), admission.operation());
    }

    /** Whether a request to {@code resourcePath} ("deployments", "deployments/scale") is one of these. */
    public boolean covers(Webhook on, String requestGroup, String resourcePath, Operation operation) {
        return webhook == on && operations.contains(operation)
                && (group.equals("*") || group.equals(requestGroup))
                && (resource.equals("*") ? !resourcePath.contains("/") : resource.equals(resourcePath));
    }
}

package dev.haguard.cel;

import dev.haguard.policy.Policy;
import dev.haguard.policy.WorkloadKind;
import java.util.ArrayList;
import java.util.List;

/**
 * One scope of a policy as the backstop generates it: the defaults, or one override.
 *
 * @param label how messages name it ("defaults", or the override's name)
 * @param name its part of generated names (a Kubernetes name part)
 * @param common the conditions every check of this scope carries: the exemptions and the scope's own match
 */
public record CelScope(Policy policy, String label, String name, List<Conditions.Condition> common) {

    /** The policy's workload kinds (Argo Rollouts, ...), which some checks judge like Deployments. */
    public List<WorkloadKind> workloadKinds() {
        return policy.workloadKinds();
    }

    /** The common conditions and these. */
    public List<Conditions.Condition> with(Conditions.Condition... only) {
        return with(List.of(only));
    }

    public List<Conditions.Condition> with(List<Conditions.Condition> only) {
        List<Conditions.Condition> out = new ArrayList<>(common);
        out.addAll(only);
        return out;
    }
}

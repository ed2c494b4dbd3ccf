package dev.haguard.rules;

import dev.haguard.engine.AdmissionEngine;
import dev.haguard.engine.Rule;
import dev.haguard.policy.PolicyConfigMap;
import java.util.List;

/** The rules ha-guard ships, in the order they are evaluated and reported. */
public final class StandardRules {

    private StandardRules() {
    }

    /** The rules, judging {@code policyConfigMap} as ha-guard's own policy document. */
    public static List<Rule<?>> all(PolicyConfigMap policyConfigMap) {
        return List.of(new TopologySpreadRule(), new MinReplicasRule(), new ImmutableObjectsRule(),
                new ImmutablePodsRule(), new ImageReferencesRule(),
                new PolicyDocumentRule(policyConfigMap.namespace(), policyConfigMap.name(), policyConfigMap.key()));
    }

    public static List<Rule<?>> all() {
        return all(PolicyConfigMap.DEFAULT);
    }

    public static AdmissionEngine engine(PolicyConfigMap policyConfigMap) {
        return new AdmissionEngine(all(policyConfigMap));
    }

    public static AdmissionEngine engine() {
        return engine(PolicyConfigMap.DEFAULT);
    }
}

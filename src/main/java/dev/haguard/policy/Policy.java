package dev.haguard.policy;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A validated policy, compiled for requests: every override already holds its effective rule set, so a
 * request only picks one. Immutable: a request reads one snapshot and uses it throughout.
 *
 * @param defaults the rule settings where no override matches
 * @param overrides in document order; the first whose match holds applies
 */
public record Policy(OnError onError, Exemptions exemptions, List<WorkloadKind> workloadKinds, RuleSet defaults,
        List<PolicyOverride> overrides) {

    public static final int SCHEMA_VERSION = 1;

    static Policy compile(PolicyDocument doc, List<RuleSettings<?>> catalog, String ownNamespace) {
        RuleSet builtIn = RuleSet.builtIn(catalog);
        RuleSet defaults = doc.defaults() == null ? builtIn : doc.defaults().over(builtIn);
        List<PolicyOverride> scoped = doc.overrides().stream()
                .map(o -> new PolicyOverride(o.name(), o.match(), o.rules().over(defaults)))
                .toList();
        return new Policy(doc.onError() == null ? OnError.ALLOW : doc.onError(),
                (doc.exemptions() == null ? Exemptions.BUILT_IN : doc.exemptions()).withOwnNamespace(ownNamespace),
                doc.workloadKinds(), defaults, scoped);
    }

    /** The workload kind the policy names for this API group and resource, if any. */
    public Optional<WorkloadKind> workloadKind(String group, String resource) {
        return workloadKinds.stream().filter(w -> w.group().equals(group) && w.resource().equals(resource)).findFirst();
    }

    /** Which settings apply to an object in {@code namespace} with {@code labels}: first matching override, or defaults. */
    public Scope scope(String namespace, Map<String, String> namespaceLabels, Map<String, String> labels) {
        for (PolicyOverride o : overrides) {
            if (o.match().matches(namespace, namespaceLabels, labels)) {
                return new Scope(o.name(), o.rules());
            }
        }
        return new Scope("defaults", defaults);
    }

    /** The rule settings in force for one request, and the name of the scope they came from. */
    public record Scope(String name, RuleSet rules) {
    }
}

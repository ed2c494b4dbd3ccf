package dev.haguard.policy;

import java.util.HashSet;
import java.util.List;

/** A policy document as written: what the YAML says, unset fields still null. */
record PolicyDocument(Integer version, OnError onError, Exemptions exemptions, List<WorkloadKind> workloadKinds,
        RuleSet defaults, List<PolicyOverride> overrides) {

    PolicyDocument {
        PolicyException.require(version != null, "version", "is required (the schema version, " + Policy.SCHEMA_VERSION + ")");
        PolicyException.require(version == Policy.SCHEMA_VERSION, "version",
                "must be " + Policy.SCHEMA_VERSION + ", got " + version);
        overrides = overrides == null ? List.of() : List.copyOf(overrides);
        workloadKinds = workloadKinds == null ? List.of() : List.copyOf(workloadKinds);
        PolicyException.require(workloadKinds.stream().map(w -> w.group() + "/" + w.resource())
                .allMatch(new HashSet<>()::add), "workloadKinds", "each group and resource may be named once");
        PolicyException.require(overrides.stream().map(PolicyOverride::name).allMatch(new HashSet<>()::add), "overrides",
                "names must be unique");
    }
}

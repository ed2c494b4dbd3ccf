package dev.haguard.policy;

/**
 * A parsed, validated policy document. Immutable: a request reads one snapshot and uses it throughout.
 *
 * @param version schema version of the document; only 1 exists
 * @param onError what an admission gets when a rule fails internally
 * @param defaults the rule settings that apply
 */
public record Policy(Integer version, OnError onError, RuleSet defaults) {

    public static final int SCHEMA_VERSION = 1;

    public Policy {
        PolicyException.require(version != null, "version", "is required (the schema version, " + SCHEMA_VERSION + ")");
        PolicyException.require(version == SCHEMA_VERSION, "version",
                "must be " + SCHEMA_VERSION + ", got " + version);
        onError = onError == null ? OnError.ALLOW : onError;
        defaults = defaults == null ? new RuleSet(null, null, null, null, null) : defaults;
    }

    /** The rule settings for one admission; scoped overrides will select here. */
    public RuleSet rules() {
        return defaults;
    }
}

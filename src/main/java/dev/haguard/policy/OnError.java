package dev.haguard.policy;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What an admission gets when evaluating a rule fails inside ha-guard. */
public enum OnError {
    /** Admit with a warning: a bug in ha-guard never blocks deployments. */
    @JsonProperty("allow") ALLOW,
    /** Deny with a message: nothing unchecked gets in. */
    @JsonProperty("deny") DENY;

    /** How a request that is not evaluated ends under this setting, for messages: admitted or denied. */
    public String answer() {
        return this == ALLOW ? "admitted" : "denied";
    }
}

package dev.haguard;

import dev.haguard.engine.Admission;
import dev.haguard.engine.AdmissionEngine;
import dev.haguard.engine.Decision;
import dev.haguard.engine.Json;
import dev.haguard.engine.RuleDecision;
import dev.haguard.engine.Webhook;
import dev.haguard.policy.Policy;
import dev.haguard.policy.PolicyParser;
import dev.haguard.rules.StandardRules;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.zjsonpatch.JsonPatch;

/** Policies written inline in tests, and the engine run against them. */
public final class Policies {

    public static final Policy DEFAULT = PolicyParser.packagedDefault();
    private static final AdmissionEngine ENGINE = StandardRules.engine();

    private Policies() {
    }

    /** A policy of version 1 with the given YAML after the version line, e.g. "defaults: {minReplicas: {minimum: 3}}". */
    public static Policy of(String yaml) {
        return PolicyParser.parse("version: 1\n" + yaml, "test policy");
    }

    public static Decision validate(Admission admission) {
        return ENGINE.review(admission, DEFAULT, Webhook.VALIDATE);
    }

    public static Decision mutate(Admission admission) {
        return ENGINE.review(admission, DEFAULT, Webhook.MUTATE);
    }

    public static Decision run(Admission admission, Policy policy, Webhook webhook) {
        return ENGINE.review(admission, policy, webhook);
    }

    /** The object after the decision's patch, as JSON. */
    public static JsonNode applied(Admission admission, Decision decision) {
        return JsonPatch.apply(decision.patch(), Json.tree(admission.object()));
    }

    public static RuleDecision rule(Decision decision, String name) {
        return decision.rules().stream().filter(r -> r.rule().equals(name)).findFirst().orElseThrow();
    }

}

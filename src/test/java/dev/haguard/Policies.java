package dev.haguard;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haguard.engine.Admission;
import dev.haguard.engine.AdmissionEngine;
import dev.haguard.engine.ClusterView;
import dev.haguard.engine.Decision;
import dev.haguard.engine.RuleDecision;
import dev.haguard.engine.Webhook;
import dev.haguard.json.Json;
import dev.haguard.policy.Policy;
import dev.haguard.rules.StandardRules;
import io.fabric8.zjsonpatch.JsonPatch;

/** Policies written inline in tests, and the engine run against them. */
public final class Policies {

    public static final Policy DEFAULT = StandardRules.DEFAULT.parser().packagedDefault();
    private static final AdmissionEngine ENGINE = StandardRules.DEFAULT.engine();

    private Policies() {
    }

    /** A policy of version 1 with the given YAML after the version line, e.g. "defaults: {minReplicas: {minimum: 3}}". */
    public static Policy of(String yaml) {
        return StandardRules.DEFAULT.parser().parse("version: 1\n" + yaml, "test policy");
    }

    public static Decision validate(Admission admission) {
        return ENGINE.decide(admission, DEFAULT, Webhook.VALIDATE);
    }

    public static Decision mutate(Admission admission) {
        return ENGINE.decide(admission, DEFAULT, Webhook.MUTATE);
    }

    public static Decision run(Admission admission, Policy policy, Webhook webhook) {
        return ENGINE.decide(admission, policy, webhook);
    }

    public static Decision run(Admission admission, Policy policy, Webhook webhook, ClusterView cluster) {
        return ENGINE.decide(admission, policy, webhook, cluster);
    }

    /** The object after the decision's patch, as JSON. */
    public static JsonNode applied(Admission admission, Decision decision) {
        return JsonPatch.apply(decision.patch(), Json.tree(admission.object()));
    }

    public static RuleDecision rule(Decision decision, String name) {
        return decision.rules().stream().filter(r -> r.rule().equals(name)).findFirst().orElseThrow();
    }

}

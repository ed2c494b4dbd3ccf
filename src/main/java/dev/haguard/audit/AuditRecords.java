package dev.haguard.audit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haguard.engine.Admission;
import dev.haguard.engine.Decision;
import dev.haguard.engine.Outcome;
import dev.haguard.engine.RuleDecision;
import dev.haguard.engine.Webhook;
import dev.haguard.json.Json;
import java.time.Instant;

/**
 * What an audit record says: who asked what, which policy judged it, every rule's mode and outcome, the
 * answer and the paths a patch touched. Metadata and decisions only: never an object's data, spec or values.
 */
public final class AuditRecords {

    private AuditRecords() {
    }

    /**
     * {@code policy}: digest, source and resourceVersion of the policy snapshot that judged the request. Rules that do
     * not judge this kind of request are listed by name under {@code notCovered}, without their reason (which the
     * policy and the rule's coverage say), unless {@code skipReasons}: they were two thirds of every record.
     */
    public static ObjectNode admission(Webhook webhook, Admission a, Decision d, ObjectNode policy, long nanos,
            boolean skipReasons, Caller caller) {
        ObjectNode r = Json.MAPPER.createObjectNode();
        r.put("type", "admission").put("time", Instant.now().toString()).put("uid", a.uid());
        r.set("caller", caller.json());
        r.put("user", a.userName());
        ArrayNode groups = r.putArray("groups");
        a.userGroups().forEach(groups::add);
        r.put("operation", a.operation().name());
        r.putObject("resource").put("group", a.group()).put("version", a.version()).put("resource", a.resource())
                .put("subResource", a.subResource());
        r.put("kind", a.kind()).put("namespace", a.namespace()).put("name", name(a)).put("dryRun", a.dryRun());
        r.put("webhook", webhook.path());
        r.set("policy", policy);
        r.put("scope", d.scope());
        ArrayNode rules = r.putArray("rules");
        ArrayNode notCovered = skipReasons ? null : r.putArray("notCovered");
        for (RuleDecision rule : d.rules()) {
            if (notCovered != null && !rule.covered()) {
                notCovered.add(rule.rule());
                continue;
            }
            ObjectNode one = rules.addObject().put("rule", rule.rule()).put("mode", rule.mode().label())
                    .put("outcome", rule.outcome().label());
            rule.facts().forEach(one::put);
            if (rule.outcome() != Outcome.PASS && !rule.message().isEmpty()) {
                one.put(rule.outcome() == Outcome.SKIP ? "reason" : "message", rule.message());
            }
        }
        r.put("decision", d.result());
        r.put("message", d.message());
        ArrayNode warnings = r.putArray("warnings");
        d.warnings().forEach(warnings::add);
        ArrayNode paths = r.putArray("patchPaths");
        d.patchedPaths().forEach(paths::add);
        r.put("breakGlass", d.breakGlass());
        r.put("durationMs", Math.round(nanos / 1_000.0) / 1_000.0);
        return r;
    }

    /** A request that was no admission review at all (answered 400). */
    public static ObjectNode malformed(String path, String problem, Caller caller) {
        ObjectNode r = Json.MAPPER.createObjectNode().put("type", "malformed").put("time", Instant.now().toString());
        r.set("caller", caller.json());
        return r.put("path", path).put("decision", "rejected").put("message", problem);
    }

    public static ObjectNode overloaded(String path, int status, String problem, Caller caller) {
        ObjectNode r = Json.MAPPER.createObjectNode().put("type", "overloaded").put("time", Instant.now().toString());
        r.set("caller", caller.json());
        return r.put("path", path).put("status", status).put("decision", "failurePolicy").put("message", problem);
    }

    /** A pod created from generateName has no name yet at the mutating webhook. */
    private static String name(Admission a) {
        if (!a.name().isEmpty() || a.object() == null || a.object().getMetadata() == null) {
            return a.name();
        }
        String generate = a.object().getMetadata().getGenerateName();
        return generate == null ? "" : generate + "*";
    }
}

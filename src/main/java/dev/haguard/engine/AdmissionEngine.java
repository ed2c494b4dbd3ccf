package dev.haguard.engine;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.haguard.policy.Mode;
import dev.haguard.policy.OnError;
import dev.haguard.policy.Policy;
import dev.haguard.policy.RuleConfig;
import dev.haguard.policy.RuleSet;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The single code path from an admission and a policy snapshot to a decision. The HTTP endpoints,
 * the offline tools and every test call {@link #review}; nothing else decides.
 */
public final class AdmissionEngine {

    private static final Logger LOG = Logger.getLogger(AdmissionEngine.class.getName());

    private final List<Rule<?>> rules;

    public AdmissionEngine(List<Rule<?>> rules) {
        this.rules = List.copyOf(rules);
    }

    public Decision review(Admission admission, Policy policy, Webhook webhook) {
        try {
            return evaluate(admission, policy, webhook);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "evaluating " + admission.describe() + " (uid " + admission.uid() + ") failed", e);
            RuleDecision failure = new RuleDecision("engine", Mode.ENFORCE, Outcome.ERROR, "ha-guard could not "
                    + "evaluate this request (internal error: " + e.getClass().getSimpleName() + "); the request is "
                    + (policy.onError() == OnError.ALLOW ? "admitted" : "denied") + " because the policy's onError is "
                    + policy.onError().name().toLowerCase(java.util.Locale.ROOT));
            return decide(admission, List.of(failure), JsonNodeFactory.instance.arrayNode(), policy.onError());
        }
    }

    private Decision evaluate(Admission admission, Policy policy, Webhook webhook) {
        RuleSet ruleSet = policy.rules();
        HasMetadata original = admission.object();
        HasMetadata working = webhook == Webhook.MUTATE && original != null ? Json.KUBE.clone(original) : original;
        List<RuleDecision> decisions = new ArrayList<>(rules.size());
        for (Rule<?> rule : rules) {
            decisions.add(apply(rule, ruleSet, admission, webhook, working, policy.onError()));
        }
        boolean mutated = decisions.stream().anyMatch(d -> d.outcome() == Outcome.MUTATE);
        // A rule that failed may have left the working copy half changed: patch nothing rather than that.
        boolean failed = decisions.stream().anyMatch(d -> d.outcome() == Outcome.ERROR);
        ArrayNode patch = mutated && !failed
                ? Patches.diff(Json.tree(original), Json.tree(working))
                : JsonNodeFactory.instance.arrayNode();
        return decide(admission, decisions, patch, policy.onError());
    }

    private <C extends RuleConfig> RuleDecision apply(Rule<C> rule, RuleSet ruleSet, Admission admission,
            Webhook webhook, HasMetadata working, OnError onError) {
        C config = rule.config(ruleSet);
        Mode mode = config.mode();
        if (mode == Mode.OFF) {
            return new RuleDecision(rule.name(), mode, Outcome.SKIP, "rule is off in the policy");
        }
        boolean keepChanges = mode == Mode.ENFORCE || working == null;
        HasMetadata target = webhook == Webhook.MUTATE && !keepChanges ? Json.KUBE.clone(working) : working;
        try {
            Finding finding = rule.evaluate(new Review(admission, webhook, target), config);
            return new RuleDecision(rule.name(), mode, outcome(finding.kind(), mode), finding.message());
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "rule " + rule.name() + " failed on " + admission.describe()
                    + " (uid " + admission.uid() + ")", e);
            return new RuleDecision(rule.name(), mode, Outcome.ERROR, "ha-guard could not evaluate rule "
                    + rule.name() + " (internal error: " + e.getClass().getSimpleName() + "); the request is "
                    + (onError == OnError.ALLOW ? "admitted" : "denied") + " because the policy's onError is "
                    + onError.name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    private static Outcome outcome(Finding.Kind kind, Mode mode) {
        return switch (kind) {
            case PASS -> Outcome.PASS;
            case SKIP -> Outcome.SKIP;
            case VIOLATION -> mode == Mode.ENFORCE ? Outcome.DENY : mode == Mode.WARN ? Outcome.WARN : Outcome.AUDIT;
            case NOTICE -> mode == Mode.AUDIT ? Outcome.AUDIT : Outcome.WARN;
            case MUTATED -> mode == Mode.ENFORCE ? Outcome.MUTATE : mode == Mode.WARN ? Outcome.WARN : Outcome.AUDIT;
        };
    }

    private static Decision decide(Admission admission, List<RuleDecision> decisions, ArrayNode patch,
            OnError onError) {
        List<String> denials = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (RuleDecision d : decisions) {
            switch (d.outcome()) {
                case DENY -> denials.add("[" + d.rule() + "] " + d.message());
                case WARN -> warnings.add(prefix(d) + (d.mode() == Mode.ENFORCE ? "" : "(" + d.mode().label()
                        + " mode) ") + d.message());
                case MUTATE -> warnings.add(prefix(d) + d.message());
                case ERROR -> (onError == OnError.DENY ? denials : warnings).add(d.message());
                default -> { }
            }
        }
        if (!denials.isEmpty()) {
            String message = "ha-guard denied " + admission.describe() + ": " + String.join(" ", denials);
            return new Decision(false, message, List.copyOf(warnings), JsonNodeFactory.instance.arrayNode(),
                    List.copyOf(decisions));
        }
        return new Decision(true, "", List.copyOf(warnings), patch, List.copyOf(decisions));
    }

    private static String prefix(RuleDecision d) {
        return "ha-guard [" + d.rule() + "]: ";
    }
}

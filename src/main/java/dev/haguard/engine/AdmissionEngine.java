package dev.haguard.engine;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.haguard.policy.Exemptions;
import dev.haguard.policy.Mode;
import dev.haguard.policy.OnError;
import dev.haguard.policy.Policy;
import dev.haguard.policy.WorkloadKind;
import dev.haguard.policy.RuleConfig;
import dev.haguard.policy.RuleSet;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The single code path from an admission and a policy snapshot to a decision. The HTTP endpoints,
 * the offline check and every test call {@link #decide}; nothing else decides.
 */
public final class AdmissionEngine {

    private static final Logger LOG = Logger.getLogger(AdmissionEngine.class);

    private final List<Rule<?>> rules;
    /** Each rule's coverage, read once: rules build it on every call. */
    private final Map<Rule<?>, List<Coverage>> coverage = new IdentityHashMap<>();

    public AdmissionEngine(List<Rule<?>> rules) {
        this.rules = List.copyOf(rules);
        this.rules.forEach(r -> coverage.put(r, List.copyOf(r.coverage())));
    }

    /** Judges with no knowledge of the cluster beyond the request. */
    public Decision decide(Admission admission, Policy policy, Webhook webhook) {
        return decide(admission, policy, webhook, ClusterView.NONE);
    }

    public Decision decide(Admission admission, Policy policy, Webhook webhook, ClusterView cluster) {
        try {
            return evaluate(admission, policy, webhook, cluster);
        } catch (RuntimeException e) {
            LOG.errorf(e, "evaluating %s (uid %s) failed", admission.describe(), admission.uid());
            return unevaluated(admission, policy, failureMessage("this request", e, policy.onError()));
        }
    }

    /**
     * The answer to an admission that is not evaluated (ha-guard failed, or is shedding load): admitted or denied
     * per the policy's onError, with {@code why} as the warning or the denial, recorded as an engine error.
     */
    public Decision unevaluated(Admission admission, Policy policy, String why) {
        RuleDecision failure = new RuleDecision("engine", Mode.ENFORCE, Outcome.ERROR, why);
        return decide(admission, List.of(failure), JsonNodeFactory.instance.arrayNode(), policy, "defaults", false);
    }

    private Decision evaluate(Admission admission, Policy policy, Webhook webhook, ClusterView cluster) {
        HasMetadata subject = admission.object() != null ? admission.object() : admission.oldObject();
        Map<String, String> nsLabels = cluster.namespaceLabels(admission.namespace());
        Policy.Scope scope = policy.scope(admission.namespace(), nsLabels, labels(subject));
        String exempt = exemption(admission, policy.exemptions());
        boolean breakGlass = policy.exemptions().breakGlass().covers(admission.userName(), admission.userGroups());

        WorkingCopy working = new WorkingCopy(admission.object());
        WorkloadKind workloadKind = admission.onMainResource()
                ? policy.workloadKind(admission.group(), admission.resource()).orElse(null) : null;
        RuleContext context = new RuleContext(admission, webhook, working, cluster, scope.name(), workloadKind, policy);
        List<RuleDecision> decisions = new ArrayList<>(rules.size());
        for (Rule<?> rule : rules) {
            decisions.add(exempt != null && rule.exemptible()
                    ? new RuleDecision(rule.name(), Mode.OFF, Outcome.SKIP, exempt)
                    : apply(rule, scope.rules(), context, policy.onError()));
        }
        boolean mutated = decisions.stream().anyMatch(d -> d.outcome() == Outcome.MUTATE);
        // A rule that failed may have left the working copy half changed: patch nothing rather than that.
        boolean failed = decisions.stream().anyMatch(d -> d.outcome() == Outcome.ERROR);
        ArrayNode patch = mutated && !failed ? working.patch() : JsonNodeFactory.instance.arrayNode();
        return decide(admission, decisions, patch, policy, scope.name(), breakGlass);
    }

    /** Why no exemptible rule applies to this admission, or null when the rules apply. */
    private static String exemption(Admission admission, Exemptions exemptions) {
        String ns = admission.namespace();
        String namespace = exemptions.namespaceExempt(ns);
        if (namespace != null) {
            return namespace;
        }
        // On UPDATE the stored object must be exempt too: adding the label cannot exempt the very change it is part of.
        boolean labelled = (admission.object() == null || exemptLabel(admission.object()))
                && (admission.oldObject() == null || exemptLabel(admission.oldObject()));
        return exemptions.labelHonoured(ns) && labelled ? Exemptions.LABELLED : null;
    }

    private static boolean exemptLabel(HasMetadata object) {
        return "true".equals(labels(object).get(Exemptions.LABEL));
    }

    private static Map<String, String> labels(HasMetadata object) {
        return object == null || object.getMetadata() == null || object.getMetadata().getLabels() == null
                ? Map.of() : object.getMetadata().getLabels();
    }

    private <C extends RuleConfig<C>> RuleDecision apply(Rule<C> rule, RuleSet ruleSet, RuleContext context,
            OnError onError) {
        C config = ruleSet.get(rule.settings());
        Mode mode = config.mode();
        if (mode == Mode.OFF) {
            return new RuleDecision(rule.name(), mode, Outcome.SKIP, "rule is off in the policy");
        }
        String uncovered = uncovered(rule, context);
        if (uncovered != null) {
            return new RuleDecision(rule.name(), mode, Outcome.SKIP, uncovered, false);
        }
        // Outside enforce mode a rule's changes are reported, not made: it edits a copy of its own.
        RuleContext seen = context.mutating() && mode != Mode.ENFORCE ? context.withCopy() : context;
        try {
            Finding finding = rule.evaluate(seen, config);
            return new RuleDecision(rule.name(), mode, outcome(finding.kind(), mode), finding.message(), true,
                    finding.facts());
        } catch (RuntimeException e) {
            Admission a = context.admission();
            LOG.errorf(e, "rule %s failed on %s (uid %s)", rule.name(), a.describe(), a.uid());
            return new RuleDecision(rule.name(), mode, Outcome.ERROR, failureMessage("rule " + rule.name(), e, onError));
        }
    }

    /** Why the rule does not judge this request, from its coverage; null when it does. */
    private String uncovered(Rule<?> rule, RuleContext context) {
        Webhook webhook = context.webhook();
        List<Coverage> covered = coverage.get(rule);
        if (covered.stream().anyMatch(c -> c.covers(webhook, context.admission()))) {
            return null;
        }
        if (context.workloadKind().isPresent() && rule.judgesWorkloadKinds() && webhook == Webhook.VALIDATE
                && (context.admission().isCreate() || context.admission().isUpdate())) {
            return null;
        }
        if (covered.isEmpty()) {
            return "judged only by the scan, from what is stored";
        }
        if (covered.stream().noneMatch(c -> c.webhook() == webhook)) {
            return webhook == Webhook.MUTATE ? "judged by the validating webhook" : "applied by the mutating webhook";
        }
        Admission a = context.admission();
        return "not judged by this rule: " + a.operation() + " of " + (a.group().isEmpty() ? "" : a.group() + "/")
                + a.resourcePath();
    }

    private static String failureMessage(String what, RuntimeException e, OnError onError) {
        return "ha-guard could not evaluate " + what + " (internal error: " + e.getClass().getSimpleName()
                + "); the request is " + onError.answer()
                + " because the policy's onError is " + onError.name().toLowerCase(Locale.ROOT);
    }

    /** What a finding comes to under a mode: the one mapping the webhook and the scan share. */
    public static Outcome outcome(Finding.Kind kind, Mode mode) {
        return switch (kind) {
            case PASS -> Outcome.PASS;
            case SKIP -> Outcome.SKIP;
            case VIOLATION -> mode == Mode.ENFORCE ? Outcome.DENY : mode == Mode.WARN ? Outcome.WARN : Outcome.AUDIT;
            case NOTICE -> mode == Mode.AUDIT ? Outcome.AUDIT : Outcome.WARN;
            case MUTATED -> mode == Mode.ENFORCE ? Outcome.MUTATE : mode == Mode.WARN ? Outcome.WARN : Outcome.AUDIT;
        };
    }

    private static Decision decide(Admission admission, List<RuleDecision> decisions, ArrayNode patch, Policy policy,
            String scope, boolean breakGlass) {
        List<String> denials = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (RuleDecision d : decisions) {
            switch (d.outcome()) {
                case DENY -> denials.add("[" + d.rule() + "] " + d.message());
                case WARN -> warnings.add(prefix(d) + (d.mode() == Mode.ENFORCE ? "" : "(" + d.mode().label()
                        + " mode) ") + d.message());
                case MUTATE -> warnings.add(prefix(d) + d.message());
                case ERROR -> (policy.onError() == OnError.DENY ? denials : warnings).add(d.message());
                default -> { }
            }
        }
        if (denials.isEmpty()) {
            return new Decision(true, "", List.copyOf(warnings), patch, List.copyOf(decisions), scope, false);
        }
        String message = "ha-guard denied " + admission.describe() + ": " + String.join(" ", denials);
        if (breakGlass) {
            warnings.add(0, "ha-guard: break-glass use by " + admission.userName() + " is recorded; without it: " + message);
            return new Decision(true, "", List.copyOf(warnings), patch, List.copyOf(decisions), scope, true);
        }
        return new Decision(false, message, List.copyOf(warnings), JsonNodeFactory.instance.arrayNode(),
                List.copyOf(decisions), scope, false);
    }

    private static String prefix(RuleDecision d) {
        return "ha-guard [" + d.rule() + "]: ";
    }
}

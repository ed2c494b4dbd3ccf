package dev.haguard.backstop;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haguard.cel.Autoscaled;
import dev.haguard.cel.CelBackstop;
import dev.haguard.cel.CelScope;
import dev.haguard.cel.Conditions;
import dev.haguard.cel.ValidatingPolicies;
import dev.haguard.engine.Rule;
import dev.haguard.policy.Mode;
import dev.haguard.policy.Policy;
import dev.haguard.policy.RuleConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * ValidatingAdmissionPolicies (admissionregistration.k8s.io/v1, CEL) that the API server evaluates itself, generated
 * from a policy: the validating checks keep holding while no ha-guard replica answers. Each rule adds its own part
 * ({@link CelBackstop}) for each scope of the policy whose mode for it is not off; what CEL cannot say is listed in
 * {@link Export#notExpressed()}, with why, never dropped silently.
 */
public final class Backstop {

    /** The label on everything the backstop consists of. */
    public static final String LABEL = ValidatingPolicies.LABEL;
    /** The default namespace of ha-guard, where the {@link Autoscaled} parameter lives. */
    public static final String NAMESPACE = "ha-guard";

    /**
     * What a policy becomes.
     *
     * @param objects ValidatingAdmissionPolicies and their bindings
     * @param notExpressed what the webhook checks and the backstop does not, with why
     */
    public record Export(List<ObjectNode> objects, List<String> notExpressed) {

        /**
         * Only the policies bound Deny, with their bindings: what the leader keeps alongside a running webhook, which
         * gives the warnings itself (a Warn binding would repeat each one). Audit bindings are left out likewise: the
         * webhook's audit trail records those decisions.
         */
        public Export denyOnly() {
            List<String> denying = objects.stream().filter(o -> o.path("kind").asText().endsWith("Binding")
                    && o.path("spec").path("validationActions").get(0).asText().equals("Deny"))
                    .map(o -> o.path("spec").path("policyName").asText()).toList();
            return new Export(objects.stream().filter(o -> denying.contains(o.path("kind").asText().endsWith("Binding")
                    ? o.path("spec").path("policyName").asText() : o.path("metadata").path("name").asText())).toList(),
                    notExpressed);
        }
    }

    private Backstop() {
    }

    /** The policies and bindings of {@code rules} for ha-guard running in {@code namespace}. */
    public static Export of(Policy policy, String namespace, List<Rule<?>> rules) {
        ValidatingPolicies out = new ValidatingPolicies(policy, namespace);
        for (int index = -1; index < policy.overrides().size(); index++) {
            String label = index < 0 ? "defaults" : policy.overrides().get(index).name();
            List<Conditions.Condition> common = new ArrayList<>(Conditions.exemptions(policy));
            common.add(Conditions.scope(policy, index));
            CelScope scope = new CelScope(policy, label, index < 0 ? "defaults" : Conditions.name(label), common);
            for (Rule<?> rule : rules) {
                add(rule, scope, index < 0 ? policy.defaults() : policy.overrides().get(index).rules(), out);
            }
        }
        List<String> notExpressed = new ArrayList<>(List.of("minReplicas and readinessProbes on a workload an HPA "
                + "sizes need to know which ones: the backstop reads them from the ConfigMap " + Autoscaled.NAME
                + ", which ha-guard's leader keeps from its HPA cache (within 10 s of a change); printed here empty"));
        for (Rule<?> rule : rules) {
            if (rule instanceof CelBackstop<?> cel) {
                notExpressed.addAll(cel.notExpressed());
            } else if (rule.notInCel() == null) {
                throw new IllegalStateException("rule " + rule.name() + " has no CEL backstop part and does not say why");
            } else {
                notExpressed.add(rule.name() + ": " + rule.notInCel());
            }
        }
        notExpressed.add("the audit trail: a request the backstop denies never reaches the webhook (the API server runs "
                + "ValidatingAdmissionPolicies first and stops at the first denial), so ha-guard's trail does not record "
                + "it; the API server's audit log does");
        return new Export(out.objects(), List.copyOf(notExpressed));
    }

    @SuppressWarnings("unchecked")
    private static <C extends RuleConfig<C>> void add(Rule<C> rule, CelScope scope, dev.haguard.policy.RuleSet rules,
            ValidatingPolicies out) {
        C config = rules.get(rule.settings());
        if (rule instanceof CelBackstop<?> cel && config.mode() != Mode.OFF) {
            ((CelBackstop<C>) cel).addTo(scope, config, out);
        }
    }

    /**
     * The namespaces the webhook configurations never send (deploy/base/webhooks.yaml): the backstop leaves them out
     * too, so it judges exactly what the webhook would.
     */
    public static List<String> unsent(String namespace) {
        return ValidatingPolicies.unsent(namespace);
    }

    /** Ends each validation's static message: see {@link ValidatingPolicies#CUT_SHORT}. */
    public static final String CUT_SHORT = ValidatingPolicies.CUT_SHORT;
}

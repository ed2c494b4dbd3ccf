package dev.haguard.rules;

import dev.haguard.engine.Admission;
import dev.haguard.engine.Coverage;
import dev.haguard.engine.Finding;
import dev.haguard.engine.Review;
import dev.haguard.engine.Rule;
import dev.haguard.engine.Webhook;
import dev.haguard.policy.Mode;
import dev.haguard.policy.PolicyException;
import dev.haguard.policy.PolicyParser;
import dev.haguard.policy.RuleSet;
import dev.haguard.policy.SimpleRuleConfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.util.List;

/**
 * ha-guard's own policy ConfigMap must hold a valid policy: an admin who applies a broken one is told why,
 * with key path and line, instead of finding out from the logs that the old policy is still in force.
 * Always enforced and never exempt, whatever the policy says: a policy cannot switch off its own check.
 */
public final class PolicyDocumentRule implements Rule<SimpleRuleConfig> {

    private static final SimpleRuleConfig ALWAYS = new SimpleRuleConfig(Mode.ENFORCE);

    private final String namespace;
    private final String name;
    private final String key;

    /** Judges the ConfigMap {@code namespace/name}, whose entry {@code key} holds the policy YAML. */
    public PolicyDocumentRule(String namespace, String name, String key) {
        this.namespace = namespace;
        this.name = name;
        this.key = key;
    }

    @Override
    public String name() {
        return "policyDocument";
    }

    @Override
    public List<Coverage> coverage() {
        return List.of(new Coverage(Webhook.VALIDATE, "", "configmaps", Coverage.WRITES));
    }

    @Override
    public SimpleRuleConfig config(RuleSet rules) {
        return ALWAYS;
    }

    @Override
    public boolean exemptible() {
        return false;
    }

    @Override
    public Finding evaluate(Review review, SimpleRuleConfig config) {
        Admission a = review.admission();
        if (review.mutating() || !(a.isCreate() || a.isUpdate()) || !a.isMain("", "configmaps")
                || !namespace.equals(a.namespace()) || !name.equals(a.object().getMetadata().getName())) {
            return Finding.skip("not ha-guard's policy ConfigMap " + namespace + "/" + name);
        }
        ConfigMap cm = (ConfigMap) a.object();
        String yaml = cm.getData() == null ? null : cm.getData().get(key);
        if (yaml == null) {
            return Finding.violation("the policy ConfigMap has no data entry " + key
                    + ". Fix: put the policy YAML under data." + key + " (see policies/default.yaml)");
        }
        try {
            PolicyParser.parse(yaml, "data." + key);
            return Finding.pass();
        } catch (PolicyException e) {
            return Finding.violation("invalid policy: " + e.getMessage()
                    + ". The policy in force stays as it is; fix the document and apply it again");
        }
    }
}

package dev.haguard.rules.policydocument;

import dev.haguard.rules.common.ApiKinds;
import dev.haguard.engine.ApiKind;
import dev.haguard.engine.Admission;
import dev.haguard.engine.Coverage;
import dev.haguard.engine.Finding;
import dev.haguard.engine.Rule;
import dev.haguard.engine.RuleContext;
import dev.haguard.engine.Webhook;
import dev.haguard.policy.PolicyConfigMap;
import dev.haguard.policy.PolicyException;
import dev.haguard.policy.PolicyParser;
import dev.haguard.policy.RuleSettings;
import dev.haguard.policy.SimpleRuleConfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.util.List;

/**
 * ha-guard's own policy ConfigMap must hold a valid policy: an admin who applies a broken one is told why,
 * with key path and line, instead of finding out from the logs that the old policy is still in force.
 * Always enforced and never exempt, whatever the policy says: a policy cannot switch off its own check.
 */
public final class PolicyDocumentRule implements Rule<SimpleRuleConfig> {

    /** Its key in the policy, its settings and the settings where a policy says nothing. */
    public static final RuleSettings<SimpleRuleConfig> SETTINGS =
            RuleSettings.fixed("policyDocument", SimpleRuleConfig.class, SimpleRuleConfig.ENFORCED);

    private final PolicyConfigMap location;
    private final PolicyParser parser;

    /** Judges the ConfigMap at {@code location} with the parser that will read it once it is applied. */
    public PolicyDocumentRule(PolicyConfigMap location, PolicyParser parser) {
        this.location = location;
        this.parser = parser;
    }

    @Override
    public String notInCel() {
        return "the policy ConfigMap check needs ha-guard's parser";
    }

    @Override
    public List<ApiKind> judges() {
        return List.of(ApiKinds.CONFIG_MAP);
    }

    @Override
    public RuleSettings<SimpleRuleConfig> settings() {
        return SETTINGS;
    }

    @Override
    public List<Coverage> coverage() {
        return List.of(new Coverage(Webhook.VALIDATE, "", "configmaps", Coverage.WRITES));
    }

    @Override
    public boolean exemptible() {
        return false;
    }

    @Override
    public Finding evaluate(RuleContext context, SimpleRuleConfig config) {
        Admission a = context.admission();
        if (!(a.object() instanceof ConfigMap cm) || !location.namespace().equals(a.namespace())
                || !location.name().equals(cm.getMetadata().getName())) {
            return Finding.skip("not ha-guard's policy ConfigMap " + location.namespace() + "/" + location.name());
        }
        String yaml = cm.getData() == null ? null : cm.getData().get(location.key());
        if (yaml == null) {
            return Finding.violation("the policy ConfigMap has no data entry " + location.key()
                    + ". Fix: put the policy YAML under data." + location.key() + " (see policies/default.yaml)");
        }
        try {
            parser.parse(yaml, "data." + location.key());
            return Finding.pass();
        } catch (PolicyException e) {
            return Finding.violation("invalid policy: " + e.getMessage()
                    + ". The policy in force stays as it is; fix the document and apply it again");
        }
    }
}

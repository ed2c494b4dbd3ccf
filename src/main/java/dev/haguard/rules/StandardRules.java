package dev.haguard.rules;

import dev.haguard.engine.AdmissionEngine;
import dev.haguard.engine.Rule;
import dev.haguard.policy.PolicyConfigMap;
import dev.haguard.policy.PolicyParser;
import dev.haguard.policy.RuleSettings;
import dev.haguard.rules.imagereferences.ImageReferencesRule;
import dev.haguard.rules.immutableobjects.ImmutableObjectsRule;
import dev.haguard.rules.immutablepods.ImmutablePodsRule;
import dev.haguard.rules.minreplicas.MinReplicasRule;
import dev.haguard.rules.policydocument.PolicyDocumentRule;
import dev.haguard.rules.backups.BackupsRule;
import dev.haguard.rules.databasestorage.DatabaseStorageRule;
import dev.haguard.rules.disruptionbudgets.DisruptionBudgetsRule;
import dev.haguard.rules.placement.PlacementRule;
import dev.haguard.rules.readinessprobes.ReadinessProbesRule;
import dev.haguard.rules.topologyspread.TopologySpreadRule;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules ha-guard ships, in the order they are evaluated and reported, with the policy parser that knows their
 * settings and the engine that runs them. Adding a rule is a folder beside this class and one line in the list.
 */
public final class StandardRules {

    /** Judging the default policy ConfigMap, for an ha-guard in the default namespace: the offline default. */
    public static final StandardRules DEFAULT = new StandardRules(PolicyConfigMap.DEFAULT,
            PolicyConfigMap.DEFAULT.namespace());

    private final PolicyParser parser;
    private final List<Rule<?>> rules;

    /**
     * @param policyConfigMap the ConfigMap judged as ha-guard's own policy document
     * @param ownNamespace the namespace ha-guard runs in, which every policy exempts
     */
    public StandardRules(PolicyConfigMap policyConfigMap, String ownNamespace) {
        List<Rule<?>> configurable = List.of(
                new TopologySpreadRule(),
                new MinReplicasRule(),
                new ImmutableObjectsRule(),
                new ImmutablePodsRule(),
                new ImageReferencesRule(),
                new ReadinessProbesRule(),
                new DisruptionBudgetsRule(),
                new BackupsRule(),
                new DatabaseStorageRule(),
                new PlacementRule());
        this.parser = new PolicyParser(configurable.stream().<RuleSettings<?>>map(Rule::settings).toList(),
                ownNamespace);
        List<Rule<?>> all = new ArrayList<>(configurable);
        all.add(new PolicyDocumentRule(policyConfigMap, parser));
        this.rules = List.copyOf(all);
    }

    public List<Rule<?>> rules() {
        return rules;
    }

    /** Reads policy documents that configure these rules. */
    public PolicyParser parser() {
        return parser;
    }

    public AdmissionEngine engine() {
        return new AdmissionEngine(rules);
    }
}

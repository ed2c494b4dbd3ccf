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
import dev.haguard.engine.ApiKind;
import dev.haguard.engine.ClusterView;
import dev.haguard.rules.common.ApiKinds;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The rules ha-guard ships, in the order they are evaluated and reported, with the policy parser that knows their
 * settings, the engine that runs them, and what they declare: the kinds they judge and read, what they ask of the
 * cluster, their warm-up reviews. Adding a rule is a folder beside this class and one line in the list.
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
        this(policyConfigMap, ownNamespace, List.of());
    }

    /**
     * These rules and {@code extra} ones after them, each as it declares itself: how a test adds a rule of its own,
     * and everything that loops over the rules (webhook coverage, check, scan, the backstop, the warm-up) sees it.
     */
    public StandardRules(PolicyConfigMap policyConfigMap, String ownNamespace, List<Rule<?>> extra) {
        List<Rule<?>> configurable = new ArrayList<>(List.of(
                new TopologySpreadRule(),
                new MinReplicasRule(),
                new ImmutableObjectsRule(),
                new ImmutablePodsRule(),
                new ImageReferencesRule(),
                new ReadinessProbesRule(),
                new DisruptionBudgetsRule(),
                new BackupsRule(),
                new DatabaseStorageRule(),
                new PlacementRule()));
        configurable.addAll(extra);
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

    /** The kinds some rule judges as the requests that create them. */
    public Set<ApiKind> judged() {
        return collect(Rule::judges);
    }

    /** The kinds some rule reads (judging stored state), and none judges. */
    public Set<ApiKind> read() {
        Set<ApiKind> read = collect(Rule::reads);
        read.removeAll(judged());
        return read;
    }

    /**
     * What a scan lists: Namespaces (their labels choose scopes), then each scanned kind judged or read, each resource
     * once (in the first version a rule names).
     */
    public List<ApiKind> listed() {
        Map<String, ApiKind> listed = new LinkedHashMap<>();
        listed.put(ApiKinds.NAMESPACE.resource(), ApiKinds.NAMESPACE);
        judged().forEach(k -> listed.putIfAbsent(k.resource(), k));
        read().forEach(k -> listed.putIfAbsent(k.resource(), k));
        return listed.values().stream().filter(ApiKind::scanned).toList();
    }

    /** What the rules ask of the cluster view; namespaces always (their labels choose the policy's scopes). */
    public Set<ClusterView.Need> needs() {
        Set<ClusterView.Need> needs = EnumSet.of(ClusterView.Need.NAMESPACES);
        rules.forEach(r -> needs.addAll(r.clusterNeeds()));
        return needs;
    }

    /** The model class of each kind a rule reads, by "apiVersion/kind". */
    public Map<String, Class<? extends HasMetadata>> models() {
        Map<String, Class<? extends HasMetadata>> models = new HashMap<>();
        judged().forEach(k -> models.put(k.apiVersion() + "/" + k.kind(), k.model()));
        read().forEach(k -> models.put(k.apiVersion() + "/" + k.kind(), k.model()));
        return models;
    }

    /** One review of a rule's warm-up, read from beside the rule's class. */
    public record Sample(String rule, String name, byte[] body) {
    }

    /** Every rule's warm-up reviews, in rule order, each once. */
    public List<Sample> warmUp() {
        Map<String, Sample> samples = new LinkedHashMap<>();
        for (Rule<?> rule : rules) {
            for (String name : rule.warmUp()) {
                samples.computeIfAbsent(name, n -> new Sample(rule.name(), n, read(rule, n)));
            }
        }
        return List.copyOf(samples.values());
    }

    private static byte[] read(Rule<?> rule, String name) {
        try (InputStream in = rule.getClass().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("rule " + rule.name() + "'s warm-up review " + name + " is missing "
                        + "from beside its class");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Set<ApiKind> collect(Function<Rule<?>, List<ApiKind>> of) {
        Set<ApiKind> out = new LinkedHashSet<>();
        rules.forEach(r -> out.addAll(of.apply(r)));
        return out;
    }

    /**
     * The writes that bring ha-guard's default PodDisruptionBudgets to what the policy asks (disruptionBudgets'
     * createDefault), from stored state: budgets to create and to set back, and namespace/name of those to delete.
     */
    public record BudgetWrites(List<io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget> create,
            List<io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget> update, List<String> delete) {
        public boolean isEmpty() {
            return create.isEmpty() && update.isEmpty() && delete.isEmpty();
        }
    }

    public BudgetWrites defaultBudgets(dev.haguard.engine.Stored stored, dev.haguard.policy.Policy policy) {
        var plan = dev.haguard.rules.disruptionbudgets.DefaultBudgets.plan(stored, policy);
        return new BudgetWrites(plan.create().stream().map(b -> b.toObject()).toList(), plan.update().stream()
                .map(b -> b.toObject()).toList(), plan.delete());
    }

    /** Whether a budget with these labels is one ha-guard made, and so may change or delete. */
    public static boolean isDefaultBudget(Map<String, String> labels) {
        return dev.haguard.rules.disruptionbudgets.DefaultBudgets.isDefault(labels);
    }
}

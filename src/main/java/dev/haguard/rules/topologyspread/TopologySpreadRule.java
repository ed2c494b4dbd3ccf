package dev.haguard.rules.topologyspread;

import dev.haguard.cel.Requests;
import dev.haguard.cel.Cel;
import dev.haguard.engine.Unjudged;
import dev.haguard.rules.common.ApiKinds;
import dev.haguard.engine.ApiKind;
import dev.haguard.engine.Admission;
import dev.haguard.engine.ClusterView;
import dev.haguard.engine.Coverage;
import dev.haguard.engine.Finding;
import dev.haguard.engine.Rule;
import dev.haguard.engine.RuleContext;
import dev.haguard.engine.Webhook;
import dev.haguard.policy.RuleSettings;
import dev.haguard.rules.common.Workloads;
import dev.haguard.rules.topologyspread.TopologySpreadConfig.WhenUnsatisfiable;
import dev.haguard.rules.topologyspread.TopologySpreadConfig.InjectInto;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAntiAffinityBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Spreads a workload's pods over nodes and zones: one topologySpreadConstraint per configured key the pod
 * does not constrain yet, selecting the pod's siblings. What the user wrote for a key is left alone, but on the
 * validating webhook a workload is told when what it wrote selects none of its own pods ({@link OwnSelectors}).
 */
public final class TopologySpreadRule implements Rule<TopologySpreadConfig> {

    /** Its key in the policy, its settings and the settings where a policy says nothing. */
    public static final RuleSettings<TopologySpreadConfig> SETTINGS =
            RuleSettings.of("topologySpread", TopologySpreadConfig.class, TopologySpreadConfig.BUILT_IN);

    static final String HOSTNAME = "kubernetes.io/hostname";
    static final String POD_TEMPLATE_HASH = "pod-template-hash";
    /** Labels that differ per revision or per pod: selecting on them would find no siblings. */
    static final Set<String> PER_POD_LABELS = Set.of(POD_TEMPLATE_HASH, "controller-revision-hash",
            "statefulset.kubernetes.io/pod-name", "apps.kubernetes.io/pod-index", "pod-template-generation");
    static final String MIRROR_ANNOTATION = "kubernetes.io/config.mirror";

    @Override
    public String notInCel() {
        return "a mutation, which a ValidatingAdmissionPolicy cannot make; its validating part (spreading that "
                + "selects none of a workload's own pods) is a warning, which the running webhook gives";
    }

    /**
     * Pods it never spreads (a DaemonSet's, one already bound to a node, a static pod's mirror) and ReplicaSets a
     * controller owns (their template is the controller's; the validating part judges the controller's spreading).
     */
    @Override
    public List<Unjudged> unjudged() {
        return List.of(new Unjudged(Webhook.MUTATE, "", "pods", Coverage.CREATE, Requests.controlledBy(List.of("DaemonSet")),
                        "a DaemonSet's pods run one per node"),
                new Unjudged(Webhook.MUTATE, "", "pods", Coverage.CREATE, "has(object.spec) && has(object.spec.nodeName) "
                        + "&& object.spec.nodeName != ''", "a pod already bound to a node is not scheduled"),
                new Unjudged(Webhook.MUTATE, "", "pods", Coverage.CREATE, "has(object.metadata.annotations) && "
                        + Cel.lit(MIRROR_ANNOTATION) + " in object.metadata.annotations",
                        "a static pod's mirror is placed by its kubelet"),
                new Unjudged(Webhook.MUTATE, "apps", "replicasets", Coverage.WRITES, Requests.controlledBy(List.of()),
                        "a controller's ReplicaSet takes its template from the controller"),
                new Unjudged(Webhook.VALIDATE, "apps", "replicasets", Coverage.WRITES, Requests.controlledBy(List.of()),
                        "a controller's ReplicaSet takes its template from the controller, which is judged"));
    }

    @Override
    public List<ApiKind> judges() {
        return List.of(ApiKinds.POD, ApiKinds.DEPLOYMENT, ApiKinds.STATEFUL_SET, ApiKinds.REPLICA_SET,
                ApiKinds.REPLICATION_CONTROLLER);
    }

    @Override
    public Set<ClusterView.Need> clusterNeeds() {
        return Set.of(ClusterView.Need.NODES, ClusterView.Need.AUTOSCALERS);
    }

    @Override
    public List<String> warmUp() {
        return List.of("pod-spread.mutate.json", "pod-compliant.mutate.json");
    }

    @Override
    public RuleSettings<TopologySpreadConfig> settings() {
        return SETTINGS;
    }

    @Override
    public List<Coverage> coverage() {
        return List.of(new Coverage(Webhook.MUTATE, "", "pods", Coverage.CREATE),
                new Coverage(Webhook.MUTATE, "apps", "deployments", Coverage.WRITES),
                new Coverage(Webhook.MUTATE, "apps", "statefulsets", Coverage.WRITES),
                new Coverage(Webhook.MUTATE, "apps", "replicasets", Coverage.WRITES),
                new Coverage(Webhook.MUTATE, "", "replicationcontrollers", Coverage.WRITES),
                // Validating: spreading the user wrote that selects none of the workload's own pods.
                new Coverage(Webhook.VALIDATE, "apps", "deployments", Coverage.WRITES),
                new Coverage(Webhook.VALIDATE, "apps", "statefulsets", Coverage.WRITES),
                new Coverage(Webhook.VALIDATE, "apps", "replicasets", Coverage.WRITES),
                new Coverage(Webhook.VALIDATE, "", "replicationcontrollers", Coverage.WRITES));
    }

    @Override
    public Finding evaluate(RuleContext context, TopologySpreadConfig config) {
        if (!context.mutating()) {
            return OwnSelectors.judge(context);
        }
        if (context.target() instanceof Pod pod) {
            return pod(context, pod, config);
        }
        return config.injectInto() == InjectInto.TEMPLATE ? template(context, config)
                : Finding.skip("injectInto is pod: only Pod CREATEs get spread constraints");
    }

    private Finding pod(RuleContext context, Pod pod, TopologySpreadConfig config) {
        if (Workloads.controlledBy(pod, "DaemonSet")) {
            return Finding.skip("DaemonSet pods run one per node; spreading does not apply");
        }
        if (pod.getSpec() == null) {
            return Finding.skip("pod has no spec");
        }
        if (pod.getSpec().getNodeName() != null && !pod.getSpec().getNodeName().isEmpty()) {
            return Finding.skip("pod is already bound to node " + pod.getSpec().getNodeName());
        }
        if (Workloads.annotations(pod).containsKey(MIRROR_ANNOTATION)) {
            return Finding.skip("mirror pod of a static pod; the kubelet owns its placement");
        }
        Map<String, String> labels = Workloads.labels(pod);
        return spread(context, pod.getSpec(), edited -> ((Pod) edited).getSpec(), labels,
                labels.containsKey(POD_TEMPLATE_HASH), config);
    }

    private Finding template(RuleContext context, TopologySpreadConfig config) {
        Admission a = context.admission();
        if (Workloads.replicas(a.object()).isEmpty()) {
            return Finding.skip("only Deployment, StatefulSet, ReplicaSet and ReplicationController templates get "
                    + "spread constraints");
        }
        var owner = Workloads.controller(a.object());
        if (owner.isPresent()) {
            return Finding.skip("controlled by " + owner.get().getKind() + " " + owner.get().getName()
                    + ": its template comes from there");
        }
        if (a.isUpdate() && Objects.equals(Workloads.template(a.object()), Workloads.template(a.oldObject()))) {
            return Finding.skip("pod template unchanged: injecting now would start a rollout nobody asked for");
        }
        PodTemplateSpec template = Workloads.template(context.target()).orElse(null);
        if (template == null || template.getSpec() == null) {
            return Finding.skip("workload has no pod template");
        }
        Map<String, String> labels = template.getMetadata() == null || template.getMetadata().getLabels() == null
                ? Map.of() : template.getMetadata().getLabels();
        return spread(context, template.getSpec(), edited -> Workloads.template(edited).orElseThrow().getSpec(), labels,
                a.object() instanceof Deployment, config);
    }

    /**
     * Judges {@code spec} and, when something is missing, adds it to the same spec in the context's editable copy,
     * which {@code specOf} finds.
     */
    private Finding spread(RuleContext context, PodSpec spec, Function<HasMetadata, PodSpec> specOf,
            Map<String, String> labels, boolean perRevisionHash, TopologySpreadConfig config) {
        Map<String, String> siblings = new TreeMap<>(labels);
        siblings.keySet().removeAll(PER_POD_LABELS);
        if (siblings.isEmpty()) {
            return Finding.skip("pod has no labels that select its siblings; add a label such as app: NAME");
        }
        Set<String> constrained = constraints(spec).stream().map(TopologySpreadConstraint::getTopologyKey)
                .collect(Collectors.toSet());
        List<String> added = config.topologyKeys().stream().filter(key -> !constrained.contains(key)).toList();
        // Any pod anti-affinity the user wrote is left alone.
        boolean antiAffinity = config.podAntiAffinity()
                && (spec.getAffinity() == null || spec.getAffinity().getPodAntiAffinity() == null);
        if (added.isEmpty() && !antiAffinity) {
            return Finding.pass();
        }
        Map<String, ClusterView.Nodes> relaxed = new TreeMap<>();
        if (config.whenUnsatisfiable() == WhenUnsatisfiable.DoNotSchedule) {
            for (String key : added) {
                context.cluster().nodesWithout(key).filter(n -> n.lacking() > 0).ifPresent(n -> relaxed.put(key, n));
            }
        }
        PodSpec edited = specOf.apply(context.edit());
        if (!added.isEmpty()) {
            List<TopologySpreadConstraint> constraints = new ArrayList<>(constraints(edited));
            added.forEach(key -> constraints.add(constraint(key, siblings, perRevisionHash, config.maxSkew(),
                    relaxed.containsKey(key) ? WhenUnsatisfiable.ScheduleAnyway : config.whenUnsatisfiable())));
            edited.setTopologySpreadConstraints(constraints);
        }
        if (antiAffinity) {
            addAntiAffinity(edited, siblings);
        }
        String selector = siblings.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
        String what = added.isEmpty() ? "" : "topologySpreadConstraints on " + String.join(", ", added)
                + " (maxSkew " + config.maxSkew() + ", " + config.whenUnsatisfiable() + ", selecting " + selector + ")";
        String anti = antiAffinity ? (what.isEmpty() ? "" : " and ") + "a preferred pod anti-affinity on " + HOSTNAME : "";
        Finding mutated = Finding.mutated("spread pods of " + selector + " with " + what + anti + relaxation(relaxed));
        return relaxed.isEmpty() ? mutated : mutated.with(Finding.RELAXED, String.join(",", relaxed.keySet()));
    }

    /** Why a key got ScheduleAnyway where the policy says DoNotSchedule, and what the admin can do about it. */
    private static String relaxation(Map<String, ClusterView.Nodes> relaxed) {
        return relaxed.entrySet().stream().map(e -> "; " + e.getKey() + " with ScheduleAnyway instead of DoNotSchedule, "
                + "because " + e.getValue().lacking() + " of " + e.getValue().schedulable() + " schedulable nodes have no "
                + e.getKey() + " label and DoNotSchedule would keep pods off them (all Pending when none has it): label "
                + "those nodes, or set whenUnsatisfiable: ScheduleAnyway for this key in the policy")
                .collect(Collectors.joining());
    }

    private static TopologySpreadConstraint constraint(String key, Map<String, String> siblings,
            boolean perRevisionHash, int maxSkew, WhenUnsatisfiable whenUnsatisfiable) {
        TopologySpreadConstraintBuilder b = new TopologySpreadConstraintBuilder()
                .withMaxSkew(maxSkew)
                .withTopologyKey(key)
                .withWhenUnsatisfiable(whenUnsatisfiable.name())
                .withLabelSelector(selector(siblings));
        if (perRevisionHash) {
            b.withMatchLabelKeys(POD_TEMPLATE_HASH);
        }
        return b.build();
    }

    private static List<TopologySpreadConstraint> constraints(PodSpec spec) {
        return spec.getTopologySpreadConstraints() == null ? List.of() : spec.getTopologySpreadConstraints();
    }

    /** Adds the preferred hostname anti-affinity. */
    private static void addAntiAffinity(PodSpec spec, Map<String, String> siblings) {
        Affinity affinity = spec.getAffinity() == null ? new Affinity() : spec.getAffinity();
        affinity.setPodAntiAffinity(new PodAntiAffinityBuilder()
                .addNewPreferredDuringSchedulingIgnoredDuringExecution()
                .withWeight(100)
                .withNewPodAffinityTerm().withLabelSelector(selector(siblings)).withTopologyKey(HOSTNAME).endPodAffinityTerm()
                .endPreferredDuringSchedulingIgnoredDuringExecution()
                .build());
        spec.setAffinity(affinity);
    }

    private static LabelSelector selector(Map<String, String> siblings) {
        return new LabelSelectorBuilder().withMatchLabels(new TreeMap<>(siblings)).build();
    }
}

package dev.haguard.rules.minreplicas;

import dev.haguard.cel.Requests;
import dev.haguard.engine.Unjudged;
import java.util.Set;
import dev.haguard.engine.ClusterView;
import dev.haguard.rules.common.ApiKinds;
import dev.haguard.engine.ApiKind;
import dev.haguard.cel.CelBackstop;
import dev.haguard.cel.CelScope;
import dev.haguard.cel.ValidatingPolicies;
import dev.haguard.engine.Admission;
import dev.haguard.engine.Coverage;
import dev.haguard.engine.Finding;
import dev.haguard.engine.Rule;
import dev.haguard.engine.RuleContext;
import dev.haguard.engine.Webhook;
import dev.haguard.policy.RuleSettings;
import dev.haguard.policy.WorkloadKind;
import dev.haguard.rules.common.Workloads;
import dev.haguard.rules.minreplicas.MinReplicasConfig.Action;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Enough replicas that one pod's failure is no outage: Deployments, StatefulSets, ReplicaSets that no
 * Deployment owns, ReplicationControllers, their scale subresource, and HorizontalPodAutoscalers' minReplicas.
 */
public final class MinReplicasRule implements Rule<MinReplicasConfig>,
        CelBackstop<MinReplicasConfig> {

    /** Its key in the policy, its settings and the settings where a policy says nothing. */
    public static final RuleSettings<MinReplicasConfig> SETTINGS =
            RuleSettings.of("minReplicas", MinReplicasConfig.class, MinReplicasConfig.BUILT_IN);

    /** What an HPA or kubectl scale can size, by resource: the kind it names. */
    private static final Map<String, String> SCALABLE = Map.of("deployments", "Deployment", "statefulsets",
            "StatefulSet", "replicationcontrollers", "ReplicationController");

    @Override
    public List<String> notExpressed() {
        return List.of("minReplicas on an HPA whose target does not exist: it needs the cluster's workloads");
    }

    @Override
    public void addTo(CelScope scope, MinReplicasConfig config, ValidatingPolicies out) {
        MinReplicasCel.addTo(scope, config, out);
    }

    @Override
    public List<ApiKind> judges() {
        return List.of(ApiKinds.DEPLOYMENT, ApiKinds.STATEFUL_SET, ApiKinds.REPLICA_SET,
                ApiKinds.REPLICATION_CONTROLLER, ApiKinds.HORIZONTAL_POD_AUTOSCALER,
                ApiKinds.HORIZONTAL_POD_AUTOSCALER_V1, ApiKinds.POD);
    }

    @Override
    public List<ApiKind> reads() {
        return List.of(ApiKinds.SERVICE);
    }

    @Override
    public Set<ClusterView.Need> clusterNeeds() {
        return Set.of(ClusterView.Need.AUTOSCALERS, ClusterView.Need.WORKLOADS);
    }

    @Override
    public List<String> warmUp() {
        return List.of("deployment-denied.validate.json", "deployment-scale-subresource.validating.json",
                "hpa-create-min-one.validating.json");
    }

    @Override
    public RuleSettings<MinReplicasConfig> settings() {
        return SETTINGS;
    }

    @Override
    public List<Coverage> coverage() {
        return Stream.concat(Stream.of(new Coverage(Webhook.VALIDATE, "", "pods", Coverage.CREATE)),
                Stream.of(Webhook.values()).flatMap(w -> Stream.of(
                new Coverage(w, "apps", "deployments", Coverage.WRITES),
                new Coverage(w, "apps", "statefulsets", Coverage.WRITES),
                new Coverage(w, "apps", "replicasets", Coverage.WRITES),
                new Coverage(w, "", "replicationcontrollers", Coverage.WRITES),
                new Coverage(w, "", "replicationcontrollers/scale", Coverage.UPDATE),
                new Coverage(w, "apps", "deployments/scale", Coverage.UPDATE),
                new Coverage(w, "apps", "statefulsets/scale", Coverage.UPDATE),
                new Coverage(w, "autoscaling", "horizontalpodautoscalers", Coverage.WRITES)))).toList();
    }

    /**
     * A controller's Pods and ReplicaSets: their replicas are the controller's, judged there (and a Deployment scales
     * its ReplicaSets in every rollout).
     */
    @Override
    public List<Unjudged> unjudged() {
        String why = "a controller's %s is sized by the controller, which is judged";
        return List.of(new Unjudged(Webhook.VALIDATE, "", "pods", Coverage.CREATE, Requests.controlledBy(List.of()),
                        why.formatted("Pod")),
                new Unjudged(Webhook.VALIDATE, "apps", "replicasets", Coverage.WRITES, Requests.controlledBy(List.of()),
                        why.formatted("ReplicaSet")),
                new Unjudged(Webhook.MUTATE, "apps", "replicasets", Coverage.WRITES, Requests.controlledBy(List.of()),
                        why.formatted("ReplicaSet")));
    }

    /** Services with one endpoint, from what is stored (the scan). */
    @Override
    public List<dev.haguard.engine.StateFinding> judgeStored(dev.haguard.engine.Stored stored,
            ScopedSettings<MinReplicasConfig> settings) {
        return Alone.services(stored, settings);
    }

    @Override
    public boolean judgesWorkloadKinds() {
        return true;
    }

    @Override
    public Finding evaluate(RuleContext context, MinReplicasConfig config) {
        Admission a = context.admission();
        if (context.target() instanceof io.fabric8.kubernetes.api.model.Pod pod) {
            return Alone.pod(pod, config.minimum());
        }
        Optional<Replicas> found = replicas(a, context.target(), context);
        if (found.isEmpty()) {
            return Finding.skip(skipReason(a));
        }
        Optional<String> autoscaler = autoscaler(context);
        if (autoscaler.isPresent()) {
            return Finding.skip("sized by HorizontalPodAutoscaler " + autoscaler.get()
                    + ", whose minReplicas is judged instead");
        }
        Replicas replicas = found.get();
        int minimum = config.minimum();
        String rival = notes(context);
        if (replicas.count() >= minimum || replicas.count() == 0 && config.allowScaleToZero()) {
            return rival == null ? Finding.pass() : Finding.notice(rival);
        }
        if (a.isUpdate()) {
            Optional<Integer> before = replicas(a, a.oldObject(), context).map(Replicas::count);
            if (before.isPresent() && before.get() < minimum && replicas.count() >= before.get()) {
                return Finding.notice(MinReplicasWords.kept(replicas.field(), String.valueOf(replicas.count()), minimum,
                        replicas.fix(minimum)));
            }
        }
        Optional<String> singleWriter = a.onMainResource()
                && Workloads.replicas(context.target(), context.workloadKind()).isPresent()
                ? SingleWriter.fix(context.target(), context.workloadKind(), minimum) : Optional.empty();
        if (context.mutating()) {
            if (singleWriter.isPresent()) {
                return Finding.skip("not raised: more replicas of this workload need more than a number");
            }
            return config.action() == Action.RAISE && replicas.raise(context.edit(), minimum)
                    ? Finding.mutated(replicas.field() + " raised from " + replicas.count() + " to the minimum of "
                            + minimum + " (policy action raise)")
                    : Finding.skip("judged on the validating webhook");
        }
        String fix = singleWriter.orElse(replicas.fix(minimum) + MinReplicasWords.end(config.allowScaleToZero()));
        return Finding.violation(MinReplicasWords.below(replicas.field(), String.valueOf(replicas.count()), minimum,
                MinReplicasWords.setBy(context.scope()), MinReplicasWords.consequence(replicas.count()), fix)
                + (rival == null ? "" : MinReplicasWords.ALSO + rival));
    }

    /**
     * For an HPA whose target another HPA already scales: they fight over its replicas, each resetting the other's
     * count. Read from the cluster view's HPA cache; null when there is none or this is no HPA.
     */
    private static String rival(RuleContext context) {
        Admission a = context.admission();
        if (context.mutating() || !a.isMain("autoscaling", "horizontalpodautoscalers") || context.target() == null) {
            return null;
        }
        String self = context.target().getMetadata().getName();
        return Autoscalers.target(context.target()).flatMap(t -> context.cluster().autoscalers(a.namespace(), t[0], t[1])
                .stream().filter(other -> !other.equals(self)).findFirst()
                .map(other -> MinReplicasWords.rival(other, t[0], t[1], a.namespace())))
                .orElse(null);
    }

    /** What else to say of an HPA: another HPA on its target, a target that does not exist; null for nothing. */
    private static String notes(RuleContext context) {
        String rival = rival(context);
        if (context.mutating() || !context.admission().isMain("autoscaling", "horizontalpodautoscalers")
                || context.target() == null) {
            return rival;
        }
        String orphan = Autoscalers.target(context.target()).map(t -> Alone.orphan(context, t[0], t[1])).orElse(null);
        return rival == null ? orphan : orphan == null ? rival : rival + MinReplicasWords.ALSO + orphan;
    }

    /** An HPA that scales this Deployment or StatefulSet: replicas are then the autoscaler's to set. */
    private static Optional<String> autoscaler(RuleContext context) {
        Admission a = context.admission();
        if (context.workloadKind().isPresent()) {
            return context.cluster().autoscaler(a.namespace(), context.workloadKind().get().kind(),
                    a.name().isEmpty() ? context.target().getMetadata().getName() : a.name());
        }
        if (!scalable(a)) {
            return Optional.empty();
        }
        String kind = SCALABLE.get(a.resource());
        String name = a.name().isEmpty() ? context.target().getMetadata().getName() : a.name();
        return context.cluster().autoscaler(a.namespace(), kind, name);
    }

    private static boolean scalable(Admission a) {
        return SCALABLE.containsKey(a.resource()) && a.group().equals(a.resource().equals("replicationcontrollers")
                ? "" : "apps");
    }

    private static String skipReason(Admission a) {
        if (a.isMain("apps", "replicasets")) {
            return "ReplicaSet with a controller (a Deployment, an Argo Rollout): it scales the ReplicaSet in every "
                    + "rollout";
        }
        return "not a Deployment, StatefulSet, unowned ReplicaSet, ReplicationController, their scale subresource, "
                + "or an HPA";
    }

    /** The replica count a request asks for, where this rule judges one. */
    private static Optional<Replicas> replicas(Admission a, HasMetadata object, RuleContext context) {
        if (object == null) {
            return Optional.empty();
        }
        if (context.workloadKind().isPresent()) {
            WorkloadKind kind = context.workloadKind().get();
            return Optional.of(Replicas.workload(kind.replicasOf(object), kind.replicas(), a));
        }
        if (a.onMainResource() && object instanceof Deployment d && d.getSpec() != null) {
            return Optional.of(Replicas.workload(d.getSpec().getReplicas(), "spec.replicas", a));
        }
        if (a.onMainResource() && object instanceof StatefulSet s && s.getSpec() != null) {
            return Optional.of(Replicas.workload(s.getSpec().getReplicas(), "spec.replicas", a));
        }
        if (a.onMainResource() && object instanceof ReplicaSet r && r.getSpec() != null
                && Workloads.controller(r).isEmpty()) {
            return Optional.of(Replicas.workload(r.getSpec().getReplicas(), "spec.replicas", a));
        }
        if (a.onMainResource() && object instanceof ReplicationController r && r.getSpec() != null) {
            return Optional.of(Replicas.workload(r.getSpec().getReplicas(), "spec.replicas", a));
        }
        if ("scale".equals(a.subResource()) && scalable(a) && object instanceof Scale s && s.getSpec() != null) {
            return Optional.of(Replicas.scale(s.getSpec().getReplicas(), a));
        }
        if (a.isMain("autoscaling", "horizontalpodautoscalers")) {
            return Autoscalers.minReplicas(object).map(min -> Replicas.hpa(min, a));
        }
        return Optional.empty();
    }
}

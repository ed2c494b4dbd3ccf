package dev.haguard.rules.databasestorage;

import dev.haguard.cel.Requests;
import dev.haguard.engine.Unjudged;
import dev.haguard.rules.common.ApiKinds;
import dev.haguard.engine.ApiKind;
import dev.haguard.engine.Admission;
import dev.haguard.engine.Coverage;
import dev.haguard.engine.Finding;
import dev.haguard.engine.Rule;
import dev.haguard.engine.RuleContext;
import dev.haguard.engine.Webhook;
import dev.haguard.policy.Mode;
import dev.haguard.policy.RuleSettings;
import dev.haguard.policy.SimpleRuleConfig;
import dev.haguard.rules.common.Workloads;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.List;
import java.util.Optional;

/**
 * A database's data on a volume that outlives its pod: a container running a database image (postgres, mysql,
 * mongo, redis, ...) whose data directory is on an emptyDir, a generic ephemeral volume, or on no volume at all loses
 * every row when the pod is rescheduled, its node lost, or (without a volume) the container restarted. Replicas and
 * backups do not help: Velero backs up volumes, and a second replica of such a pod starts just as empty. Judged on
 * workloads and bare pods, never on the pods and ReplicaSets a controller makes.
 */
public final class DatabaseStorageRule implements Rule<SimpleRuleConfig> {

    /** Its key in the policy, its settings and the settings where a policy says nothing. */
    public static final RuleSettings<SimpleRuleConfig> SETTINGS =
            RuleSettings.of("databaseStorage", SimpleRuleConfig.class, new SimpleRuleConfig(Mode.WARN));

    @Override
    public String notInCel() {
        return "it reads each database image's data directories from ha-guard's own table; a warning, which "
                + "the running webhook gives";
    }

    @Override
    public List<ApiKind> judges() {
        return List.of(ApiKinds.DEPLOYMENT, ApiKinds.STATEFUL_SET, ApiKinds.REPLICA_SET,
                ApiKinds.REPLICATION_CONTROLLER, ApiKinds.POD);
    }

    @Override
    public List<String> warmUp() {
        return List.of("statefulset-create-one-replica.validating.json");
    }

    @Override
    public RuleSettings<SimpleRuleConfig> settings() {
        return SETTINGS;
    }

    @Override
    public List<Coverage> coverage() {
        return List.of(new Coverage(Webhook.VALIDATE, "apps", "deployments", Coverage.WRITES),
                new Coverage(Webhook.VALIDATE, "apps", "statefulsets", Coverage.WRITES),
                new Coverage(Webhook.VALIDATE, "apps", "replicasets", Coverage.WRITES),
                new Coverage(Webhook.VALIDATE, "", "replicationcontrollers", Coverage.WRITES),
                new Coverage(Webhook.VALIDATE, "", "pods", Coverage.CREATE));
    }

    /** A controller's Pods and ReplicaSets: their storage is the controller's template's, judged there. */
    @Override
    public List<Unjudged> unjudged() {
        String why = "a controller's %s is judged on the controller's template";
        return List.of(new Unjudged(Webhook.VALIDATE, "", "pods", Coverage.CREATE, Requests.controlledBy(List.of()),
                        why.formatted("Pod")),
                new Unjudged(Webhook.VALIDATE, "apps", "replicasets", Coverage.WRITES, Requests.controlledBy(List.of()),
                        why.formatted("ReplicaSet")));
    }

    @Override
    public boolean judgesWorkloadKinds() {
        return true;
    }

    @Override
    public Finding evaluate(RuleContext context, SimpleRuleConfig config) {
        HasMetadata object = context.target();
        if ((object instanceof Pod || object instanceof ReplicaSet) && Workloads.controller(object).isPresent()) {
            return Finding.skip("made by a controller: judged on the controller");
        }
        Optional<DataDirectories.Lost> lost = lost(object, context);
        if (lost.isEmpty()) {
            return Finding.pass();
        }
        Admission a = context.admission();
        String message = lost.get().message(object instanceof StatefulSet);
        if (a.isUpdate() && a.oldObject() != null && lost(a.oldObject(), context).isPresent()) {
            return Finding.notice(message.replace(". Fix:", " (so before this change too, so it is admitted). Fix:"));
        }
        return Finding.violation(message);
    }

    private static Optional<DataDirectories.Lost> lost(HasMetadata object, RuleContext context) {
        PodSpec spec = Workloads.podSpec(object, context.workloadKind()).map(Workloads.Located::value).orElse(null);
        return spec == null ? Optional.empty() : DataDirectories.lost(spec, object instanceof StatefulSet s
                && s.getSpec() != null && s.getSpec().getVolumeClaimTemplates() != null
                ? s.getSpec().getVolumeClaimTemplates().stream().map(t -> t.getMetadata().getName()).toList() : List.of());
    }
}

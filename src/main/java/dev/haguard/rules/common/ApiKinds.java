package dev.haguard.rules.common;

import dev.haguard.engine.ApiKind;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.List;

/**
 * The kinds the shipped rules read, as the API server serves them, with what a scan keeps of each: specs, and of
 * status only what placement and budgets read (pods' conditions, budgets' counts). Velero's are its CRDs'.
 */
public final class ApiKinds {

    public static final ApiKind NAMESPACE = ApiKind.of("", "v1", "Namespace", "namespaces", false, Namespace.class);
    /** Taints and schedulability, and the CPU it offers (placement judges the zones' shares of it). */
    public static final ApiKind NODE = ApiKind.of("", "v1", "Node", "nodes", false, Node.class, "spec",
            "status.allocatable");
    public static final ApiKind PERSISTENT_VOLUME = ApiKind.of("", "v1", "PersistentVolume", "persistentvolumes",
            false, PersistentVolume.class, "spec");
    public static final ApiKind PERSISTENT_VOLUME_CLAIM = ApiKind.of("", "v1", "PersistentVolumeClaim",
            "persistentvolumeclaims", true, PersistentVolumeClaim.class, "spec");
    /**
     * A pod a controller manages is judged on its controller; of it the scan reads where it runs, whether it is ready
     * and the claims it mounts (placement, backups), and what decides whether a surviving node has room for it after a
     * failure: its requests, tolerations, node selector and required node affinity (placement's capacity).
     */
    public static final ApiKind POD = ApiKind.of("", "v1", "Pod", "pods", true, Pod.class, "spec",
            "status.conditions", "status.phase").keepingControlled("spec.nodeName",
            "spec.volumes[].persistentVolumeClaim.claimName", "status.conditions[].type", "status.conditions[].status",
            "status.phase", "spec.containers[].resources.requests", "spec.initContainers[].resources.requests",
            "spec.initContainers[].restartPolicy", "spec.overhead", "spec.nodeSelector",
            "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution", "spec.tolerations[].key",
            "spec.tolerations[].operator", "spec.tolerations[].value", "spec.tolerations[].effect");
    public static final ApiKind SERVICE = ApiKind.of("", "v1", "Service", "services", true, Service.class,
            "spec.selector", "spec.type");
    public static final ApiKind REPLICATION_CONTROLLER = ApiKind.of("", "v1", "ReplicationController",
            "replicationcontrollers", true, ReplicationController.class, "spec");
    public static final ApiKind CONFIG_MAP = ApiKind.of("", "v1", "ConfigMap", "configmaps", true, ConfigMap.class)
            .unscanned();
    public static final ApiKind SECRET = ApiKind.of("", "v1", "Secret", "secrets", true, Secret.class).unscanned();
    public static final ApiKind DEPLOYMENT = ApiKind.of("apps", "v1", "Deployment", "deployments", true,
            Deployment.class, "spec");
    public static final ApiKind STATEFUL_SET = ApiKind.of("apps", "v1", "StatefulSet", "statefulsets", true,
            StatefulSet.class, "spec");
    /** A Deployment's ReplicaSets are read only for the owner of their pods. */
    public static final ApiKind REPLICA_SET = ApiKind.of("apps", "v1", "ReplicaSet", "replicasets", true,
            ReplicaSet.class, "spec").keepingControlled();
    public static final ApiKind DAEMON_SET = ApiKind.of("apps", "v1", "DaemonSet", "daemonsets", true, DaemonSet.class,
            "spec");
    /** A CronJob's Jobs are judged on the CronJob. */
    public static final ApiKind JOB = ApiKind.of("batch", "v1", "Job", "jobs", true, Job.class, "spec")
            .keepingControlled();
    public static final ApiKind CRON_JOB = ApiKind.of("batch", "v1", "CronJob", "cronjobs", true, CronJob.class,
            "spec");
    public static final ApiKind HORIZONTAL_POD_AUTOSCALER = ApiKind.of("autoscaling", "v2", "HorizontalPodAutoscaler",
            "horizontalpodautoscalers", true, io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler.class,
            "spec");
    /** Still served, and what older manifests hold; a live scan lists the resource once, as v2. */
    public static final ApiKind HORIZONTAL_POD_AUTOSCALER_V1 = ApiKind.of("autoscaling", "v1",
            "HorizontalPodAutoscaler", "horizontalpodautoscalers", true,
            io.fabric8.kubernetes.api.model.autoscaling.v1.HorizontalPodAutoscaler.class, "spec");
    public static final ApiKind POD_DISRUPTION_BUDGET = ApiKind.of("policy", "v1", "PodDisruptionBudget",
            "poddisruptionbudgets", true, PodDisruptionBudget.class, "spec", "status");
    public static final ApiKind VELERO_SCHEDULE = ApiKind.custom("velero.io", "v1", "Schedule", "schedules");
    public static final ApiKind VELERO_BACKUP = ApiKind.custom("velero.io", "v1", "Backup", "backups");
    public static final ApiKind VELERO_LOCATION = ApiKind.custom("velero.io", "v1", "BackupStorageLocation",
            "backupstoragelocations");

    /** The workloads with a pod template that most rules judge. */
    public static final List<ApiKind> WORKLOADS = List.of(DEPLOYMENT, STATEFUL_SET, REPLICA_SET,
            REPLICATION_CONTROLLER);

    private ApiKinds() {
    }
}

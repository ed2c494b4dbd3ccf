package dev.haguard.scan;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
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
import java.util.Locale;
import java.util.Map;

/** The REST resource names of the kinds a manifest may hold, as the API server would put them in a review. */
final class Kinds {

    private static final Map<String, String> IRREGULAR = Map.of(
            "Endpoints", "endpoints",
            "NetworkPolicy", "networkpolicies",
            "PodSecurityPolicy", "podsecuritypolicies",
            "Ingress", "ingresses",
            "IngressClass", "ingressclasses",
            "StorageClass", "storageclasses",
            "PriorityClass", "priorityclasses",
            "RuntimeClass", "runtimeclasses");

    /**
     * The model classes of the kinds the rules read, by apiVersion and kind. Asking fabric8 to find the class of any
     * KubernetesResource loads its whole kind registry first: half of a one-file check's start-up on this machine.
     */
    private static final Map<String, Class<? extends HasMetadata>> MODEL = Map.ofEntries(
            Map.entry("v1/Pod", Pod.class),
            Map.entry("v1/ReplicationController", ReplicationController.class),
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Secret", Secret.class),
            Map.entry("v1/Namespace", Namespace.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("v1/PersistentVolumeClaim", PersistentVolumeClaim.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("apps/v1/StatefulSet", StatefulSet.class),
            Map.entry("apps/v1/ReplicaSet", ReplicaSet.class),
            Map.entry("apps/v1/DaemonSet", DaemonSet.class),
            Map.entry("batch/v1/Job", Job.class),
            Map.entry("batch/v1/CronJob", CronJob.class),
            Map.entry("autoscaling/v1/HorizontalPodAutoscaler",
                    io.fabric8.kubernetes.api.model.autoscaling.v1.HorizontalPodAutoscaler.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler",
                    io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class));

    private Kinds() {
    }

    /** The class to read an object of this apiVersion and kind as: its model class, or a generic resource. */
    static Class<? extends HasMetadata> model(String apiVersion, String kind) {
        return MODEL.getOrDefault(apiVersion + "/" + kind, GenericKubernetesResource.class);
    }

    /** Deployment to deployments, HorizontalPodAutoscaler to horizontalpodautoscalers, Ingress to ingresses. */
    static String resource(String kind) {
        String irregular = IRREGULAR.get(kind);
        if (irregular != null) {
            return irregular;
        }
        String lower = kind.toLowerCase(Locale.ROOT);
        return lower.endsWith("s") ? lower + "es" : lower.endsWith("y") ? lower.substring(0, lower.length() - 1) + "ies"
                : lower + "s";
    }
}

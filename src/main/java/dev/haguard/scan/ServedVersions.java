package dev.haguard.scan;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The apiVersions in which the API server serves the kinds ha-guard judges. A manifest in any other version cannot be
 * applied (kubectl: "no matches for kind"), so check reports it and judges the object as its served version.
 * Removals as listed in the Kubernetes deprecated API migration guide
 * (kubernetes.io/docs/reference/using-api/deprecation-guide/).
 */
final class ServedVersions {

    private static final Map<String, List<String>> SERVED = Map.of(
            "Deployment", List.of("apps/v1"),
            "StatefulSet", List.of("apps/v1"),
            "ReplicaSet", List.of("apps/v1"),
            "DaemonSet", List.of("apps/v1"),
            "HorizontalPodAutoscaler", List.of("autoscaling/v2", "autoscaling/v1"),
            "PodDisruptionBudget", List.of("policy/v1"),
            "CronJob", List.of("batch/v1"),
            "Job", List.of("batch/v1"),
            "Pod", List.of("v1"),
            "ReplicationController", List.of("v1"));

    private static final Map<String, String> REMOVED_IN = Map.of(
            "extensions/v1beta1", "1.16",
            "apps/v1beta1", "1.16",
            "apps/v1beta2", "1.16",
            "autoscaling/v2beta1", "1.25",
            "autoscaling/v2beta2", "1.26",
            "policy/v1beta1", "1.25",
            "batch/v1beta1", "1.25");

    /** A manifest's version that is not served, what to write instead, and why. */
    public record Unserved(String apiVersion, String served, String message) {
    }

    private ServedVersions() {
    }

    static Optional<Unserved> check(String apiVersion, String kind) {
        List<String> served = SERVED.get(kind);
        if (served == null || served.contains(apiVersion)) {
            return Optional.empty();
        }
        String removed = REMOVED_IN.get(apiVersion);
        String why = removed != null ? apiVersion + " " + kind + " is no longer served (removed in Kubernetes "
                + removed + ")" : "Kubernetes serves no " + kind + " in " + apiVersion;
        String fix = "Fix: set apiVersion: " + served.get(0) + (removed == null ? ""
                : " and the fields that changed with it (listed in the Kubernetes deprecated API migration guide)");
        return Optional.of(new Unserved(apiVersion, served.get(0), why + ", so kubectl cannot apply it. " + fix
                + "; judged below as " + served.get(0)));
    }
}

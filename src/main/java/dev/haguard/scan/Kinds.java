package dev.haguard.scan;

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

    private Kinds() {
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

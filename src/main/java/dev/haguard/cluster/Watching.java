package dev.haguard.cluster;

import dev.haguard.policy.PolicyConfigMap;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether ha-guard should watch the cluster, and which namespace it runs in. */
public final class Watching {

    static final Path SERVICE_ACCOUNT_NAMESPACE = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

    private Watching() {
    }

    /** {@code auto}: in a pod (KUBERNETES_SERVICE_HOST) or with a kubeconfig; otherwise the setting says. */
    public static boolean enabled(String setting) {
        return switch (setting) {
            case "true" -> true;
            case "false" -> false;
            case "auto" -> System.getenv("KUBERNETES_SERVICE_HOST") != null
                    || System.getenv("KUBECONFIG") != null
                    || Files.exists(Path.of(System.getProperty("user.home"), ".kube", "config"));
            default -> throw new IllegalArgumentException("haguard.policy.watch is \"" + setting
                    + "\": expected auto, true or false");
        };
    }

    /**
     * Whether ha-guard may write to the cluster it watches (Leases, reports, the backstop): {@code true} only when asked
     * explicitly or running in a pod. {@code auto} with only a kubeconfig (a developer's machine) watches, never writes.
     */
    public static boolean writes(String setting) {
        return enabled(setting) && (setting.equals("true") || System.getenv("KUBERNETES_SERVICE_HOST") != null);
    }

    /** The namespace ha-guard runs in: POD_NAMESPACE (downward API), else the service account's, else the default. */
    public static String ownNamespace() {
        String env = System.getenv("POD_NAMESPACE");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return Files.exists(SERVICE_ACCOUNT_NAMESPACE) ? Files.readString(SERVICE_ACCOUNT_NAMESPACE).trim()
                    : PolicyConfigMap.DEFAULT.namespace();
        } catch (java.io.IOException e) {
            return PolicyConfigMap.DEFAULT.namespace();
        }
    }
}

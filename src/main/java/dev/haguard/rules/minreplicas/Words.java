package dev.haguard.rules.minreplicas;

import java.util.Set;

/**
 * What minReplicas says to users, in one place: the webhook fills in the request's values, the CEL backstop fills in
 * expressions that compute them, so both say the same words.
 */
public final class Words {

    /** Images of software that keeps state and replicates only when told to (the image name's last segment). */
    public static final Set<String> DATABASES = Set.of("postgres", "postgresql", "mysql", "mariadb", "mongo",
            "mongodb", "redis", "valkey", "cassandra", "elasticsearch", "opensearch", "etcd", "zookeeper", "kafka",
            "rabbitmq", "couchdb", "influxdb", "neo4j", "clickhouse-server", "memcached");

    /** Said where a pod spec keeps state in its own claims rather than running a known database image. */
    public static final String OWN_CLAIMS = "Its pods keep state in their own claims";

    private Words() {
    }

    public static String below(String field, String count, int minimum, String setBy, String consequence, String fix) {
        return field + " is " + count + ", below the minimum of " + minimum + " (" + setBy + "), " + consequence + ". "
                + fix;
    }

    public static String kept(String field, String count, int minimum, String fix) {
        return field + " is " + count + ", below the minimum of " + minimum
                + " (unchanged by this request, so it is admitted); " + fix;
    }

    /** What this many replicas cannot survive: true for every count, not only for 1. */
    public static String consequence(int replicas) {
        return switch (replicas) {
            case 0 -> "so no pod runs at all";
            case 1 -> "so one pod's failure is an outage";
            default -> many(String.valueOf(replicas));
        };
    }

    public static String many(String replicas) {
        return "so " + replicas + " pods failing at once (a node lost during a drain or a rollout) is an outage";
    }

    public static String setBy(String scope) {
        return "defaults".equals(scope) ? "policy defaults" : "policy override \"" + scope + "\"";
    }

    public static String workloadFix(String field, String kind, int minimum) {
        return "Fix: set " + field + ": " + minimum + " or more in the " + kind + " manifest";
    }

    public static String scaleFix(String kind, String name, String namespace, int minimum) {
        return "Fix: kubectl scale " + kind + " " + name + " -n " + namespace + " --replicas=" + minimum + " (or more)";
    }

    public static String hpaFix(int minimum) {
        return "Fix: set spec.minReplicas: " + minimum + " or more in the HorizontalPodAutoscaler (and maxReplicas at "
                + "least that)";
    }

    /** For an HPA whose target {@code other} HPA already scales. */
    public static String rival(String other, String kind, String name, String namespace) {
        return "HorizontalPodAutoscaler " + other + " already scales " + kind + " " + name + ": two autoscalers fight "
                + "over its replicas, each undoing the other's count. Fix: keep one of them (kubectl delete hpa " + other
                + " -n " + namespace + ", or this one).";
    }

    public static final String ALSO = " Also: ";

    /** What ends a raise-the-count fix. */
    public static String end(boolean allowScaleToZero) {
        return allowScaleToZero ? " (0 is also accepted, to pause it)." : ".";
    }

    /** Pods of a Deployment (ReplicaSet, ReplicationController) mounting {@code claims} ("a", "b"), which they share. */
    public static String sharedClaims(String claims, String kind, int minimum) {
        return "Its pods mount PersistentVolumeClaim " + claims + ", which every replica would share: if it is "
                + "ReadWriteOnce, a second pod fails to start (Multi-Attach error), and two writers on one volume "
                + "diverge. Fix: for software that replicates itself, a StatefulSet with volumeClaimTemplates (one claim "
                + "per pod) and " + minimum + " or more replicas with the software's replication turned on; for a "
                + "ReadWriteMany claim and software made for shared storage, set spec.replicas: " + minimum + "."
                + record(kind);
    }

    /** {@code what}: "It runs IMAGE" or {@link #OWN_CLAIMS}. */
    public static String ownData(String what, String kind, int minimum) {
        return what + ": a second replica without the software's own replication is a second, diverging copy of the "
                + "data, not a standby. Fix: set spec.replicas: " + minimum + " together with the software's replication "
                + "(its operator or chart's replication settings), with volumeClaimTemplates so each replica has its "
                + "own volume." + record(kind);
    }

    public static String runs(String image) {
        return "It runs \"" + image + "\"";
    }

    private static String record(String kind) {
        return " Otherwise keep 1 replica and record that decision in the policy: an override matching this " + kind
                + " (objectLabels) with minReplicas: {minimum: 1} or {mode: warn}, or the haguard.dev/exempt: \"true\" "
                + "label where the policy honours it.";
    }
}

package dev.haguard.rules.minreplicas;

/**
 * What minReplicas says to users, in one place: the webhook fills in the request's values, the CEL backstop fills in
 * expressions that compute them, so both say the same words.
 */
public final class MinReplicasWords {

    /** Images of software that keeps state and replicates only when told to (the image name's last segment). */
    public static final java.util.Set<String> DATABASES = dev.haguard.rules.common.Databases.NAMES;

    /** Said where a pod spec keeps state in its own claims rather than running a known database image. */
    public static final String OWN_CLAIMS = "Its pods keep state in their own claims";

    private MinReplicasWords() {
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

    /** A Pod that no controller owns and that runs until stopped. */
    public static String barePod(int minimum) {
        return "this Pod has no controller: nothing re-creates it when it fails or its node is lost, so one failure is "
                + "an outage until someone applies it again. Fix: run it as a Deployment with spec.replicas: " + minimum
                + " or more (or, for work that ends, as a Job).";
    }

    /** An HPA whose target does not exist; {@code nearest}: a workload of that kind with a close name, or null. */
    public static String orphan(String kind, String name, String namespace, String nearest) {
        return "scaleTargetRef names " + kind + " " + name + ", which does not exist in namespace " + namespace
                + " (or not yet): this autoscaler scales nothing. Fix: " + (nearest == null
                ? "point scaleTargetRef at the Deployment or StatefulSet it is meant for (kubectl get "
                        + "deployments,statefulsets -n " + namespace + ")."
                : "set scaleTargetRef.name: " + nearest + ", the " + kind + " of that namespace with the nearest name.");
    }

    /** A Service whose selector finds the pods of one workload, which runs one replica. */
    public static String oneEndpoint(String kind, String name, int minimum) {
        return "selects the pods of " + kind + " " + name + " alone, which runs 1 replica: the Service has one endpoint, "
                + "so that pod's restart or its node's loss cuts every client off. Fix: run " + minimum + " or more "
                + "replicas of " + kind + " " + name + ".";
    }

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

    /**
     * {@code what}: "It runs IMAGE" or {@link #OWN_CLAIMS}; {@code storage}: {@link #onStatefulSet} for a StatefulSet,
     * else {@link #toStatefulSet}.
     */
    public static String ownData(String what, String storage, String kind) {
        return what + ": a second replica without the software's own replication is a second, diverging copy of the "
                + "data, not a standby. Fix: " + storage + record(kind);
    }

    /** How a StatefulSet gets more replicas of a database. */
    public static String onStatefulSet(int minimum) {
        return "set spec.replicas: " + minimum + " together with the software's replication (its operator or chart's "
                + "replication settings), with volumeClaimTemplates so each replica has its own volume.";
    }

    /** How any other workload does: it becomes a StatefulSet. */
    public static String toStatefulSet(int minimum) {
        return "run it as a StatefulSet with volumeClaimTemplates (one volume per replica) and " + minimum + " or more "
                + "replicas, with the software's replication turned on (its operator or chart's replication settings).";
    }

    /** The controllers known to run alone (the image name's last segment): they have no leader election. */
    public static final String NO_ELECTION = "prometheus-operator";

    /** Exported metrics that each replica would export again unless sharded (the image name's last segment). */
    public static final String METRICS = "kube-state-metrics";

    /** Arguments that turn a controller's leader election off. */
    public static final java.util.List<String> ELECTION_OFF = java.util.List.of("--leader-elect=false",
            "--leader-election=false", "--enable-leader-election=false");

    /** A controller without leader election, running {@code image}. */
    public static String noElection(String image, String kind) {
        return "It runs \"" + image + "\", which has no leader election: a second replica would reconcile the same "
                + "objects at the same time, each undoing the other's writes, rather than stand by. Fix: keep 1 replica: "
                + "while it restarts, what it manages keeps running and only changes wait." + record(kind);
    }

    /** kube-state-metrics without sharding, running {@code image}. */
    public static String unsharded(String image, String kind, int minimum) {
        return "It runs \"" + image + "\" without sharding: each replica would export every metric, doubling every "
                + "series and what alerts count. Fix: shard it over " + minimum + " or more replicas (--total-shards and "
                + "a --shard each, or the autosharding StatefulSet with --pod and --pod-namespace), or keep 1 replica."
                + record(kind);
    }

    /** A controller whose arguments ({@code argument}) turn leader election off. */
    public static String electionOff(String argument, int minimum) {
        return "Its arguments turn leader election off (" + argument + "): two replicas would both act as the "
                + "controller, each undoing the other's writes. Fix: turn leader election on (drop " + argument
                + ") and set spec.replicas: " + minimum + ": one replica leads, the others stand by to take over.";
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

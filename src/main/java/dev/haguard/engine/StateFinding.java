package dev.haguard.engine;

/**
 * What a rule finds in stored state, before the policy's mode for it is applied: about one object ({@code kind} and
 * {@code name} in {@code namespace}, "" for one that belongs to no namespace), a namespace as a whole (kind
 * Namespace), or the cluster (kind Cluster). A {@code PASS} verdict marks a subject judged and found sound, so that it
 * counts in the scan's readiness. {@code check} tells apart the exposures alerts watch (one-zone, one-node,
 * drain-blocking, single-zone-cluster, control-plane-nodes, control-plane-one-zone, zone-capacity); "" for the others.
 * {@code measures} are what the rule measured of the subject (a namespace's backup age), exported where the subject
 * is judged at all.
 */
public record StateFinding(String namespace, String kind, String name, Finding.Kind verdict, String message,
        String check, java.util.List<Measure> measures) {

    public StateFinding(String namespace, String kind, String name, Finding.Kind verdict, String message,
            String check) {
        this(namespace, kind, name, verdict, message, check, java.util.List.of());
    }

    public StateFinding(String namespace, String kind, String name, Finding.Kind verdict, String message) {
        this(namespace, kind, name, verdict, message, "");
    }

    /** The subject of a finding about the cluster as a whole. */
    public static final String CLUSTER = "Cluster";
}

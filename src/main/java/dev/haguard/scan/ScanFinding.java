package dev.haguard.scan;

/**
 * One thing the scan found. {@code kind} and {@code name} name its subject: an object, a namespace judged as a whole
 * (kind Namespace), or the cluster (kind Cluster, no name); {@code namespace} is "" for what belongs to no namespace.
 * {@code apiVersion} and {@code uid} are the subject's where the input holds it, else "". {@code check} tells apart
 * the exposures alerts watch (one-zone, one-node, drain-blocking, single-zone-cluster, control-plane-nodes,
 * control-plane-one-zone, zone-capacity); "" for the others.
 */
public record ScanFinding(String namespace, String apiVersion, String kind, String name, String uid, String rule,
        Severity severity, String message, String check) {

    /** How the report names the subject: "Deployment web", "Namespace shop", "Cluster". */
    public String object() {
        return name.isEmpty() ? kind : kind + " " + name;
    }

    /** "Kind/namespace/name", as rules name an object in a finding's facts. */
    String key() {
        return kind + "/" + namespace + "/" + name;
    }
}

package dev.haguard.rules.readinessprobes;

/**
 * What readinessProbes says to users, in one place: the webhook fills in the request's values, the CEL backstop fills
 * in expressions that compute them, so both say the same words.
 */
public final class ReadinessProbesWords {

    /** The shells whose command line makes a container a script that probing its port might run (the name's last part). */
    public static final String SHELLS = "sh|bash|ash|dash|zsh|ksh";

    private ReadinessProbesWords() {
    }

    public static String scaledBy(String autoscaler) {
        return "is scaled by HorizontalPodAutoscaler " + autoscaler;
    }

    public static String runs(String replicas) {
        return "runs " + replicas + " replicas";
    }

    /** {@code sized}: {@link #scaledBy} or {@link #runs}; {@code names}: the serving containers, joined with ", ". */
    public static String found(String sized, String names) {
        return sized + " and none of its containers (" + names + ") has a readinessProbe";
    }

    public static String violation(String found, String fix) {
        return found + ", so a rolling update sends traffic to pods before they can answer, and a pod that hangs keeps "
                + "receiving it. " + fix;
    }

    public static String notice(String found, String fix) {
        return found + " (unchanged by this request, so it is admitted). " + fix;
    }

    /** {@code container}: one of {@link #onPort}, {@link #shell} or {@link #noPort}. */
    public static String fix(String container) {
        return "Fix: add a readinessProbe to the pod template's container " + container + "; a pod is ready when every "
                + "container with a probe is, so one probe on the container that serves is enough.";
    }

    /** The container that serves, probed on its first port. */
    public static String onPort(String name, String port) {
        return name + " (e.g. readinessProbe: {httpGet: {path: <health path>, port: " + port + "}}, or tcpSocket on port "
                + port + ")";
    }

    /** A container started by a shell script: a connection to its port may run the script, so no port probe. */
    public static String shell(String name) {
        return name + " (its command is a shell script, so a probe that connects to its port may set off its work: "
                + "probe with a command instead, e.g. readinessProbe: {exec: {command: [<a check that fails while it "
                + "cannot serve>]}})";
    }

    /** A container without ports. */
    public static String noPort(String name) {
        return name + " (it exposes no port: e.g. readinessProbe: {exec: {command: [<a check that fails while it cannot "
                + "work>]}})";
    }
}

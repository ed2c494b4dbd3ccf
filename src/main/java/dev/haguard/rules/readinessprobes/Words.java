package dev.haguard.rules.readinessprobes;

/**
 * What readinessProbes says to users, in one place: the webhook fills in the request's values, the CEL backstop fills
 * in expressions that compute them, so both say the same words.
 */
public final class Words {

    public static final String SEPARATOR = ";";

    private Words() {
    }

    public static String scaledBy(String autoscaler) {
        return "is scaled by HorizontalPodAutoscaler " + autoscaler;
    }

    public static String runs(String replicas) {
        return "runs " + replicas + " replicas";
    }

    /** {@code sized}: {@link #scaledBy} or {@link #runs}; {@code names}: {@link #names}. */
    public static String found(String sized, String names) {
        return sized + " and " + names + " no readinessProbe";
    }

    /** {@code one}: whether there is a single name in {@code joined} (joined with ", "). */
    public static String names(boolean one, String joined) {
        return (one ? "container " : "containers ") + joined + (one ? " has" : " have");
    }

    public static String violation(String found, String fix) {
        return found + ", so a rolling update sends traffic to pods before they can answer, and a pod that hangs keeps "
                + "receiving it. " + fix;
    }

    public static String notice(String found, String fix) {
        return found + " (unchanged by this request, so it is admitted). " + fix;
    }

    /** {@code containers}: each {@link #container} joined with {@link #SEPARATOR}. */
    public static String fix(String containers) {
        return "Fix: add a readinessProbe to the pod template's" + containers + ".";
    }

    /** One container's probe: on its first port if it has one, else a command it can run. */
    public static String container(String name, String port) {
        return " container " + name + (port != null
                ? " (e.g. readinessProbe: {httpGet: {path: <health path>, port: " + port + "}}, or tcpSocket on port "
                        + port + ")"
                : " (it exposes no port: e.g. readinessProbe: {exec: {command: [<a check that fails while it cannot "
                        + "work>]}})");
    }
}

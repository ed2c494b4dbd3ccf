package dev.haguard.rules.immutablepods;

/**
 * What immutablePods says to users, in one place: the webhook fills in the request's values, the CEL backstop fills in
 * expressions that compute them, so both say the same words.
 */
public final class ImmutablePodsWords {

    public static final String UNOWNED = "change the manifest and recreate the pod (kubectl replace --force -f "
            + "pod.yaml), or better, run it from a Deployment.";

    private ImmutablePodsWords() {
    }

    /** {@code changes}: what the request changes; {@code advice}: {@link #owned} or {@link #UNOWNED}. */
    public static String inPlace(String pod, String changes, String advice) {
        return "Pod " + pod + ": this request edits a running pod in place (" + changes + "). Pods are replaced, never "
                + "edited: " + advice;
    }

    /** {@code owner}: its controller's kind and name. */
    public static String owned(String owner) {
        return "make the change in " + owner + " (or what owns it) and let it roll out.";
    }
}

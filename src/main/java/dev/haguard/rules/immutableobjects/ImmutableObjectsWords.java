package dev.haguard.rules.immutableobjects;

/**
 * What immutableObjects says to users, in one place: the webhook fills in the request's values, the CEL backstop fills
 * in expressions that compute them, so both say the same words.
 */
public final class ImmutableObjectsWords {

    public static final String LABEL_MARKER = "label " + Markers.LABEL + ": \"true\"";
    public static final String DATA_MARKER = "data entry " + Markers.CONFIGMAP_KEY + ": immutable";
    public static final String UNMARKED = " (removing the marker is itself a change)";
    public static final String MOVED = " and move traffic to it";

    private ImmutableObjectsWords() {
    }

    /**
     * @param marker {@link #LABEL_MARKER} or {@link #DATA_MARKER}
     * @param unmarked {@link #UNMARKED} where the request removes the marker, else ""
     * @param moveTo {@link #repointed} for a ConfigMap or Secret, else {@link #MOVED}
     */
    public static String changed(String kind, String name, String marker, String changes, String unmarked,
            String moveTo) {
        return kind + " " + name + " is marked immutable (" + marker + ") and this request changes " + changes
                + unmarked + ". " + replaced(name, moveTo);
    }

    /** The fix: a new, versioned object. */
    public static String replaced(String name, String moveTo) {
        return "Immutable objects are replaced, not edited: create " + name + "-v2 with the change" + moveTo
                + ", then delete " + name + ".";
    }

    public static String repointed(String name) {
        return ", point the workloads that use it at " + name + "-v2 and roll them out";
    }
}

package dev.haguard.policy;

/** A policy document that cannot be used; the message names the key path and, where known, the line. */
public class PolicyException extends RuntimeException {

    private final String key;

    public PolicyException(String message) {
        this(null, message);
    }

    PolicyException(String key, String message) {
        super(message);
        this.key = key;
    }

    /** The key, relative to the record that refused it, or null. */
    public String key() {
        return key;
    }

    public static void require(boolean condition, String key, String problem) {
        if (!condition) {
            throw new PolicyException(key, problem);
        }
    }
}

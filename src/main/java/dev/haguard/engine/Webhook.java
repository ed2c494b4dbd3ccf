package dev.haguard.engine;

/** Which admission webhook a review arrived on; rules mutate on one and judge on the other. */
public enum Webhook {
    MUTATE, VALIDATE;

    public String path() {
        return this == MUTATE ? "mutate" : "validate";
    }
}

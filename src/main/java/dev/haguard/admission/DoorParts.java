package dev.haguard.admission;

import dev.haguard.policy.PolicySnapshot;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;

/** What the door takes from the server's wiring, each as a small interface the server implements. */
public final class DoorParts {

    private DoorParts() {
    }

    /** The policy in force, read once per call. */
    public interface Policies extends Supplier<PolicySnapshot> {
    }

    /** Tells the warm-up's own requests apart: judged in full, neither counted nor written. */
    public interface Rehearsals {
        boolean rehearsal(RoutingContext ctx);
    }
}

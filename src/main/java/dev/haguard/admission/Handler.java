package dev.haguard.admission;

import dev.haguard.audit.Caller;
import dev.haguard.engine.Admission;
import dev.haguard.engine.Decision;
import dev.haguard.engine.Webhook;
import dev.haguard.policy.PolicySnapshot;

/**
 * One webhook call, from body to decision. The door composes it as Kyverno composes its handlers: {@link Judging}
 * decides, and each concern of a request wraps it in a class of its own ({@link Shedding}, {@link Metered},
 * {@link Audited}). The composition lives in the server's wiring.
 */
@FunctionalInterface
public interface Handler {

    /**
     * What the door knows of a call: its body, when it arrived ({@code startNanos}), how long it waited for a worker,
     * who sent it, whether it is the warm-up's own, and the policy it is judged by, read once for the whole call.
     */
    record Request(Webhook webhook, byte[] body, long startNanos, long waitedNanos, Caller caller, boolean rehearsal,
            PolicySnapshot policy) {
    }

    /** The answer, with the admission it is about. */
    record Answer(Admission admission, Decision decision) {
    }

    /** Throws {@link dev.haguard.codec.BadReviewException} for a body that is no review. */
    Answer handle(Request request);
}

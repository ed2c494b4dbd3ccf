package dev.haguard.admission;

import dev.haguard.codec.BadReviewException;

/**
 * Exactly one audit record per call: the decision, or for a body that is no review, what is wrong with it (then the
 * 400 answer). The warm-up's records are built and sealed, not written.
 */
public final class Audited implements Handler {

    private final Handler next;
    private final AuditLog log;

    public Audited(Handler next, AuditLog log) {
        this.next = next;
        this.log = log;
    }

    @Override
    public Answer handle(Request request) {
        Answer answer;
        try {
            answer = next.handle(request);
        } catch (BadReviewException e) {
            log.malformed("/" + request.webhook().path(), e.getMessage(), request.caller());
            throw e;
        }
        log.admission(request.webhook(), answer.admission(), answer.decision(), request.policy(),
                System.nanoTime() - request.startNanos(), request.rehearsal(), request.caller());
        return answer;
    }
}

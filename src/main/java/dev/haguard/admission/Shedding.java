package dev.haguard.admission;

import dev.haguard.engine.Admission;
import dev.haguard.engine.AdmissionEngine;
import org.jboss.logging.Logger;

/**
 * Overload: a call that waited past the queue deadline is answered at once per the policy's onError, from its
 * envelope alone, rather than after the API server has given up waiting. Counted, and logged at most once a second.
 */
public final class Shedding implements Handler {

    private static final Logger LOG = Logger.getLogger(Shedding.class);

    private final Handler next;
    private final AdmissionEngine engine;
    private final long deadlineNanos;
    private final AdmissionMetrics metrics;
    private final LogLimiter log = new LogLimiter();

    public Shedding(Handler next, AdmissionEngine engine, long deadlineNanos, AdmissionMetrics metrics) {
        this.next = next;
        this.engine = engine;
        this.deadlineNanos = deadlineNanos;
        this.metrics = metrics;
    }

    @Override
    public Answer handle(Request request) {
        Envelope envelope = request.waitedNanos() > deadlineNanos ? Envelope.peek(request.body()) : null;
        if (envelope == null) {
            return next.handle(request);
        }
        metrics.shed();
        long waited = request.waitedNanos() / 1_000_000;
        String why = "ha-guard is overloaded: this request waited " + waited + " ms before it could be evaluated, so "
                + "it is " + request.policy().policy().onError().answer() + " unchecked, per the policy's onError";
        Admission admission = envelope.admission();
        long shed = log.count();
        if (shed > 0) {
            LOG.warnf("overloaded: shed %d request(s) since the last report, e.g. %s (uid %s) after %d ms in the queue",
                    shed, admission.describe(), admission.uid(), waited);
        }
        return new Answer(admission, engine.unevaluated(admission, request.policy().policy(), why));
    }
}

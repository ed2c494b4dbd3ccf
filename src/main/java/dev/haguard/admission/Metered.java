package dev.haguard.admission;

import dev.haguard.engine.Admission;

/** Counts and times each answer (haguard_admissions_total, the duration histogram); not the warm-up's rehearsals. */
public final class Metered implements Handler {

    private final Handler next;
    private final AdmissionMetrics metrics;

    public Metered(Handler next, AdmissionMetrics metrics) {
        this.next = next;
        this.metrics = metrics;
    }

    @Override
    public Answer handle(Request request) {
        Answer answer = next.handle(request);
        if (!request.rehearsal()) {
            Admission a = answer.admission();
            metrics.record(request.webhook(), a.kind(), a.operation().name(), answer.decision(),
                    System.nanoTime() - request.startNanos());
        }
        return answer;
    }
}

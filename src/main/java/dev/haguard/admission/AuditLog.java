package dev.haguard.admission;

import dev.haguard.audit.Caller;
import dev.haguard.engine.Admission;
import dev.haguard.engine.Decision;
import dev.haguard.engine.Webhook;
import dev.haguard.policy.PolicySnapshot;

/** Where the door records what it answered, and what it refused unread: the server's audit trail. */
public interface AuditLog {

    /** An answered call; a warm-up rehearsal's record is built and sealed but not written. */
    void admission(Webhook webhook, Admission admission, Decision decision, PolicySnapshot policy, long nanos,
            boolean rehearsal, Caller caller);

    /** A body that is no review (answered 400). */
    void malformed(String path, String problem, Caller caller);

    /** A request refused unread because ha-guard is overloaded: the API server's failurePolicy decides it. */
    void overloaded(String path, int status, String problem, Caller caller);
}

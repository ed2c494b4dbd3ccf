package dev.haguard.admission;

import dev.haguard.codec.BadReviewException;
import dev.haguard.codec.ReviewCodec;
import dev.haguard.config.HaGuardConfig;
import dev.haguard.engine.Admission;
import dev.haguard.engine.AdmissionEngine;
import dev.haguard.engine.Decision;
import dev.haguard.engine.Webhook;
import dev.haguard.audit.Caller;
import dev.haguard.server.Auditor;
import dev.haguard.server.ClusterWatch;
import dev.haguard.server.PolicyHolder;
import dev.haguard.server.WarmUp;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/** The two admission webhooks. Only translation happens here; {@link AdmissionEngine} decides. */
@Path("/")
@Consumes(MediaType.WILDCARD)
@Produces(MediaType.APPLICATION_JSON)
public class AdmissionResource {

    private static final Logger LOG = Logger.getLogger(AdmissionResource.class);

    private final PolicyHolder policies;
    private final AdmissionEngine engine;
    private final ClusterWatch cluster;
    private final AdmissionMetrics metrics;
    private final Auditor auditor;
    private final WarmUp warmUp;
    private final long queueDeadlineNanos;
    private final LogLimiter shedLog = new LogLimiter();

    AdmissionResource(PolicyHolder policies, AdmissionEngine engine, ClusterWatch cluster, AdmissionMetrics metrics,
            Auditor auditor, WarmUp warmUp, HaGuardConfig config) {
        this.policies = policies;
        this.engine = engine;
        this.cluster = cluster;
        this.metrics = metrics;
        this.auditor = auditor;
        this.warmUp = warmUp;
        this.queueDeadlineNanos = config.admission().queueDeadline().toNanos();
    }

    @POST
    @Path("mutate")
    @NonBlocking
    public Uni<AdmissionReview> mutate(byte[] body, RoutingContext ctx) {
        return onWorker(() -> answer(body, Webhook.MUTATE, ctx));
    }

    @POST
    @Path("validate")
    @NonBlocking
    public Uni<AdmissionReview> validate(byte[] body, RoutingContext ctx) {
        return onWorker(() -> answer(body, Webhook.VALIDATE, ctx));
    }

    /**
     * The body is read whole on the event loop (the methods are non-blocking, and quarkus.rest.input-buffer-size
     * covers the largest body), and only then is the review judged, on a worker. A worker that read the body itself
     * would block on a stream whose data HTTP/2 flow control may be holding back behind the bodies of requests still
     * queued for a worker: over HTTP/2 with more concurrent streams than workers, that deadlocked for 60 s.
     */
    public static <T> Uni<T> onWorker(Supplier<T> work) {
        return Uni.createFrom().item(work).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private AdmissionReview answer(byte[] body, Webhook webhook, RoutingContext ctx) {
        long waited = RequestGate.waitedNanos(ctx);
        long start = System.nanoTime() - waited;
        PolicyHolder.Loaded policy = policies.current();
        boolean rehearsal = warmUp.rehearsal(ctx);
        if (waited > queueDeadlineNanos) {
            Envelope envelope = Envelope.peek(body);
            if (envelope != null) {
                return shed(webhook, envelope, policy, waited, start, rehearsal, CallerCheck.of(ctx));
            }
        }
        Admission admission;
        try {
            admission = ReviewCodec.read(body);
        } catch (BadReviewException e) {
            auditor.malformed("/" + webhook.path(), e.getMessage(), CallerCheck.of(ctx));
            throw e;
        }
        Decision decision = engine.decide(admission, policy.policy(), webhook, cluster.current());
        record(webhook, admission, decision, policy, start, rehearsal, CallerCheck.of(ctx));
        return ReviewCodec.response(admission.uid(), decision);
    }

    /**
     * Overloaded: answer now, per onError, from the envelope alone, rather than after the API server has given up
     * waiting. Counted, audited, and logged at most once a second.
     */
    private AdmissionReview shed(Webhook webhook, Envelope envelope, PolicyHolder.Loaded policy, long waited,
            long start, boolean rehearsal, Caller caller) {
        metrics.shed();
        String why = "ha-guard is overloaded: this request waited " + waited / 1_000_000 + " ms before it could be "
                + "evaluated, so it is " + policy.policy().onError().answer()
                + " unchecked, per the policy's onError";
        Admission admission = envelope.admission();
        Decision decision = engine.unevaluated(admission, policy.policy(), why);
        long shed = shedLog.count();
        if (shed > 0) {
            LOG.warnf("overloaded: shed %d request(s) since the last report, e.g. %s (uid %s) after %d ms in the queue",
                    shed, admission.describe(), admission.uid(), waited / 1_000_000);
        }
        record(webhook, admission, decision, policy, start, rehearsal, caller);
        return ReviewCodec.response(admission.uid(), decision);
    }

    /** Counts and audits a decision; the warm-up's rehearsals are neither counted nor written. */
    private void record(Webhook webhook, Admission admission, Decision decision, PolicyHolder.Loaded policy, long start,
            boolean rehearsal, Caller caller) {
        long nanos = System.nanoTime() - start;
        if (!rehearsal) {
            metrics.record(webhook, admission.kind(), admission.operation().name(), decision, nanos);
        }
        auditor.admission(webhook, admission, decision, policy, nanos, rehearsal, caller);
    }
}

package dev.haguard.admission;

import dev.haguard.engine.Admission;
import dev.haguard.engine.AdmissionEngine;
import dev.haguard.engine.Decision;
import dev.haguard.engine.Webhook;
import dev.haguard.audit.Auditor;
import dev.haguard.policy.PolicyHolder;
import dev.haguard.policy.PolicyService;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The two admission webhooks. Only translation happens here; {@link AdmissionEngine} decides. */
@Path("/")
@Consumes(MediaType.WILDCARD)
@Produces(MediaType.APPLICATION_JSON)
public class AdmissionResource {

    private final PolicyService policies;
    private final AdmissionMetrics metrics;
    private final Auditor auditor;

    AdmissionResource(PolicyService policies, AdmissionMetrics metrics, Auditor auditor) {
        this.policies = policies;
        this.metrics = metrics;
        this.auditor = auditor;
    }

    @POST
    @Path("mutate")
    public AdmissionReview mutate(byte[] body) {
        return answer(body, Webhook.MUTATE);
    }

    @POST
    @Path("validate")
    public AdmissionReview validate(byte[] body) {
        return answer(body, Webhook.VALIDATE);
    }

    private AdmissionReview answer(byte[] body, Webhook webhook) {
        long start = System.nanoTime();
        Admission admission;
        try {
            admission = ReviewCodec.read(body);
        } catch (BadReviewException e) {
            auditor.malformed("/" + webhook.path(), e.getMessage());
            throw e;
        }
        PolicyHolder.Loaded policy = policies.holder().current();
        Decision decision = policies.engine().review(admission, policy.policy(), webhook, policies.cluster());
        long nanos = System.nanoTime() - start;
        metrics.record(webhook, admission, decision, nanos);
        auditor.admission(webhook, admission, decision, policy, nanos);
        return ReviewCodec.response(admission.uid(), decision);
    }
}

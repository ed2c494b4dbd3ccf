package dev.haguard.admission;

import dev.haguard.engine.Admission;
import dev.haguard.engine.AdmissionEngine;
import dev.haguard.engine.Decision;
import dev.haguard.engine.Webhook;
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

    AdmissionResource(PolicyService policies, AdmissionMetrics metrics) {
        this.policies = policies;
        this.metrics = metrics;
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
        Admission admission = ReviewCodec.read(body);
        Decision decision = policies.engine().review(admission, policies.holder().current().policy(), webhook,
                policies.cluster());
        metrics.record(webhook, admission, decision, System.nanoTime() - start);
        return ReviewCodec.response(admission.uid(), decision);
    }
}

package dev.haguard.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.haguard.admission.AdmissionResource;
import dev.haguard.codec.ReviewCodec;
import dev.haguard.config.HaGuardConfig;
import dev.haguard.engine.Decision;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The benchmark's references, on the same server, TLS, HTTP stack and body reading as the webhooks: the baseline
 * parses, judges and records nothing and answers a constant allowed review. Exist only with
 * {@code haguard.bench.baseline=true} (the {@code bench} profile); otherwise 404.
 */
@Path("/bench/baseline")
public class BaselineResource {

    private static final byte[] ALLOWED = ("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\","
            + "\"response\":{\"uid\":\"00000000-0000-0000-0000-000000000000\",\"allowed\":true}}")
            .getBytes(StandardCharsets.UTF_8);
    private static final Decision ALLOWED_DECISION = new Decision(true, "", List.of(),
            JsonNodeFactory.instance.arrayNode(), List.of(), "defaults", false);

    private final boolean enabled;

    BaselineResource(HaGuardConfig config) {
        this.enabled = config.bench().baseline();
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @NonBlocking
    public Uni<byte[]> answer(byte[] body) {
        return AdmissionResource.onWorker(() -> {
            if (!enabled) {
                throw new NotFoundException();
            }
            return ALLOWED;
        });
    }

    /**
     * A second reference: the review is read into the typed model, as every webhook built on fabric8 must, and
     * answered allowed with its uid. What ha-guard costs beyond this is its own work: rules, patch, audit, metrics.
     */
    @POST
    @Path("decoded")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @NonBlocking
    public Uni<AdmissionReview> decoded(byte[] body) {
        return AdmissionResource.onWorker(() -> {
            if (!enabled) {
                throw new NotFoundException();
            }
            return ReviewCodec.response(ReviewCodec.read(body).uid(), ALLOWED_DECISION);
        });
    }
}

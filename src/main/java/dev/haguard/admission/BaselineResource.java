package dev.haguard.admission;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;
import dev.haguard.config.HaGuardConfig;

/**
 * The benchmark's baseline: same server, TLS, HTTP stack and body reading as the webhooks, but nothing parsed,
 * judged or recorded; a constant allowed review. Exists only with {@code haguard.bench.baseline=true}
 * (the {@code bench} profile); otherwise 404.
 */
@Path("/bench/baseline")
public class BaselineResource {

    private static final byte[] ALLOWED = ("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\","
            + "\"response\":{\"uid\":\"00000000-0000-0000-0000-000000000000\",\"allowed\":true}}")
            .getBytes(StandardCharsets.UTF_8);

    private final boolean enabled;

    BaselineResource(HaGuardConfig config) {
        this.enabled = config.bench().baseline();
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public byte[] answer(byte[] body) {
        if (!enabled) {
            throw new NotFoundException();
        }
        return ALLOWED;
    }
}

package dev.haguard.admission;

import dev.haguard.codec.ReviewCodec;
import dev.haguard.engine.Webhook;
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

/**
 * The two admission webhooks: the door. It only turns a request into a {@link Handler.Request} and the answer into a
 * response; what happens in between ({@link Judging} and the concerns around it) is composed by the server's wiring.
 */
@Path("/")
@Consumes(MediaType.WILDCARD)
@Produces(MediaType.APPLICATION_JSON)
public class AdmissionResource {

    private final Handler handler;
    private final DoorParts.Policies policies;
    private final DoorParts.Rehearsals rehearsals;

    AdmissionResource(Handler handler, DoorParts.Policies policies, DoorParts.Rehearsals rehearsals) {
        this.handler = handler;
        this.policies = policies;
        this.rehearsals = rehearsals;
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
        Handler.Answer answer = handler.handle(new Handler.Request(webhook, body, System.nanoTime() - waited, waited,
                CallerCheck.of(ctx), rehearsals.rehearsal(ctx), policies.get()));
        return ReviewCodec.response(answer.admission().uid(), answer.decision());
    }
}

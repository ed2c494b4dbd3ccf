package dev.haguard.admission;

import dev.haguard.audit.Auditor;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * First on every admission request, on the event loop: notes when it arrived (for load shedding) and refuses a
 * body over the limit from its Content-Length, before reading it, with a JSON 413 on HTTP/1.1 and HTTP/2 alike.
 * A body without a length is still cut off by quarkus.http.limits.max-body-size.
 */
@ApplicationScoped
public class RequestGate {

    static final String ARRIVAL = "haguard.arrival";
    private static final Logger LOG = Logger.getLogger(RequestGate.class);

    private final long maxBody;
    private final Auditor auditor;
    private final MeterRegistry metrics;

    RequestGate(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBody, Auditor auditor,
            MeterRegistry metrics) {
        this.maxBody = maxBody.asLongValue();
        this.auditor = auditor;
        this.metrics = metrics;
    }

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::gate);
    }

    private void gate(RoutingContext ctx) {
        ctx.put(ARRIVAL, System.nanoTime());
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && tooLong(length)) {
            String problem = "request body of " + length + " bytes is over the limit of " + maxBody
                    + " bytes (an UPDATE review carries two objects of at most 1.5 MiB each)";
            LOG.warnf("refused %s %s: %s", ctx.request().method(), ctx.request().path(), problem);
            metrics.counter("haguard_refused_requests", "reason", "too-large").increment();
            auditor.malformed(ctx.request().path(), problem);
            ctx.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
            if (ctx.request().version() != HttpVersion.HTTP_2) {
                // HTTP/1.1 cannot take the unread body back; HTTP/2 just ends this stream.
                ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
            }
            ctx.response().end("{\"code\":413,\"message\":\"" + problem + "\"}");
            return;
        }
        ctx.next();
    }

    private boolean tooLong(String length) {
        try {
            return Long.parseLong(length.trim()) > maxBody;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** How long ago the gate saw this request arrive; 0 where it did not. */
    static long waitedNanos(RoutingContext ctx) {
        Long arrival = ctx == null ? null : ctx.get(ARRIVAL);
        return arrival == null ? 0 : System.nanoTime() - arrival;
    }
}

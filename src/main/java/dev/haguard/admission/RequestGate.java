package dev.haguard.admission;

import dev.haguard.config.HaGuardConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * First on every admission request, on the event loop, before the body is read: notes when it arrived (for load
 * shedding), refuses a body over the limit from its Content-Length with a JSON 413, and a body that would overdraw
 * the {@link BodyBudget} with a JSON 503, on HTTP/1.1 and HTTP/2 alike. A body without a length counts as one of the
 * largest allowed, and is still cut off by quarkus.http.limits.max-body-size.
 */
@ApplicationScoped
public class RequestGate {

    static final String ARRIVAL = "haguard.arrival";
    private static final Logger LOG = Logger.getLogger(RequestGate.class);

    private final long maxBody;
    private final BodyBudget budget;
    private final AuditLog auditor;
    private final MeterRegistry metrics;
    private final LogLimiter overBudgetLog = new LogLimiter();

    RequestGate(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBody, HaGuardConfig config,
            AuditLog auditor, MeterRegistry metrics) {
        this.maxBody = maxBody.asLongValue();
        this.budget = new BodyBudget(config.admission().bodyBudget().map(MemorySize::asLongValue)
                .orElse(Runtime.getRuntime().maxMemory() / 8));
        this.auditor = auditor;
        this.metrics = metrics;
        Gauge.builder("haguard_body_bytes_held", budget, BodyBudget::held).register(metrics);
        Gauge.builder("haguard_body_budget_bytes", budget, BodyBudget::budget).register(metrics);
    }

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 1).handler(this::gate); // after CallerCheck
    }

    private void gate(RoutingContext ctx) {
        ctx.put(ARRIVAL, System.nanoTime());
        long length = declaredLength(ctx);
        if (length > maxBody) {
            String problem = "request body of " + length + " bytes is over the limit of " + maxBody
                    + " bytes (an UPDATE review carries two objects of at most 1.5 MiB each)";
            LOG.warnf("refused %s %s: %s", ctx.request().method(), ctx.request().path(), problem);
            auditor.malformed(ctx.request().path(), problem, CallerCheck.of(ctx));
            refuse(ctx, 413, "too-large", problem);
            return;
        }
        if (ctx.request().method() == HttpMethod.POST) {
            long bytes = length < 0 ? maxBody : length;
            if (!budget.take(bytes)) {
                overBudget(ctx, bytes);
                return;
            }
            ctx.addEndHandler(done -> budget.give(bytes));
        }
        ctx.next();
    }

    private void overBudget(RoutingContext ctx, long bytes) {
        String problem = "ha-guard is at its memory budget for admission bodies: " + budget.held() + " bytes held, and "
                + bytes + " more would exceed haguard.admission.body-budget of " + budget.budget() + " bytes, so this "
                + "request is not read and the API server applies the webhook's failurePolicy. Fix: give ha-guard "
                + "more memory (the default budget is an eighth of the heap) or more replicas";
        long refused = overBudgetLog.count();
        if (refused > 0) {
            LOG.warnf("overloaded: refused %d request(s) since the last report, e.g. %s %s: %s", refused,
                    ctx.request().method(), ctx.request().path(), problem);
        }
        auditor.overloaded(ctx.request().path(), 503, problem, CallerCheck.of(ctx));
        refuse(ctx, 503, "over-budget", problem);
    }

    private void refuse(RoutingContext ctx, int status, String reason, String problem) {
        metrics.counter("haguard_refused_requests", "reason", reason).increment();
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        if (ctx.request().version() != HttpVersion.HTTP_2) {
            // HTTP/1.1 cannot take the unread body back; HTTP/2 just ends this stream.
            ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
        }
        ctx.response().end("{\"code\":" + status + ",\"message\":\"" + problem + "\"}");
    }

    /** The Content-Length, or -1 where there is none or it is no number. */
    private static long declaredLength(RoutingContext ctx) {
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        try {
            return length == null ? -1 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** How long ago the gate saw this request arrive; 0 where it did not. */
    static long waitedNanos(RoutingContext ctx) {
        Long arrival = ctx == null ? null : ctx.get(ARRIVAL);
        return arrival == null ? 0 : System.nanoTime() - arrival;
    }
}

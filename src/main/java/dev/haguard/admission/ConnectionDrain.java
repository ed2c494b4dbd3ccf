package dev.haguard.admission;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * When shutdown begins (SIGTERM: readiness goes down and serving goes on through quarkus.shutdown.delay), tells every
 * open HTTP/2 connection at once to go away (GOAWAY, no error, in the two steps RFC 9113 advises), so that the API
 * server opens its next connection to another replica. Quarkus does the same only for connections that finish a request after shutdown began, and an idle
 * connection it left open would be cut when the process exits, possibly under a request sent at that moment. The
 * streams already on a connection finish; HTTP/1.1 connections get {@code Connection: close} on their next answer
 * from Quarkus.
 */
@ApplicationScoped
public class ConnectionDrain {

    private static final Logger LOG = Logger.getLogger(ConnectionDrain.class);

    private final Duration shutdownTimeout;
    /** Weak: a connection that closed is forgotten without a close handler of ours. */
    private final Set<HttpConnection> http2 = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    ConnectionDrain(@ConfigProperty(name = "quarkus.shutdown.timeout") Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 1).handler(this::remember);
    }

    private void remember(RoutingContext ctx) {
        if (ctx.request().version() == HttpVersion.HTTP_2) {
            http2.add(ctx.request().connection());
        }
        ctx.next();
    }

    void onShutdown(@Observes ShutdownDelayInitiatedEvent event) {
        List<HttpConnection> open;
        synchronized (http2) {
            open = new ArrayList<>(http2);
        }
        // RFC 9113 section 6.8: first a GOAWAY that refuses no stream (last stream id 2^31-1), so that streams the
        // client sent before it heard are still served; a second later the real last stream id, and the connection
        // closes once its streams have ended (or at the shutdown timeout).
        open.forEach(connection -> connection.goAway(0, Integer.MAX_VALUE));
        CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS).execute(() -> open.forEach(connection ->
                connection.shutdown(shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS)));
        LOG.infof("shutting down: asked %d HTTP/2 connection(s) to go away; in-flight requests finish", open.size());
    }
}

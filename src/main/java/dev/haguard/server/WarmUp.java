package dev.haguard.server;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.haguard.admission.DoorParts;
import dev.haguard.codec.ReviewCodec;
import dev.haguard.config.HaGuardConfig;
import dev.haguard.engine.Decision;
import dev.haguard.engine.Webhook;
import dev.haguard.json.Json;
import dev.haguard.rules.StandardRules;
import io.quarkus.vertx.http.HttpsServerStart;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.jboss.logging.Logger;

/**
 * Before the server reports ready, sends the rules' warm-up reviews ({@link dev.haguard.engine.Rule#warmUp()}) to its
 * own webhooks the way the API server does (TLS, HTTP/2, several streams on one connection, both webhooks, every rule,
 * the audit record built and sealed) until
 * the JIT has settled or the configured time is up. Without it a fresh replica compiles on users' requests: tens of
 * milliseconds each for the first minute. Settled means the JIT compiled for less than {@link #SETTLED} of two
 * consecutive half-second rounds. Its requests carry a token that only this process knows; they are judged in full
 * but neither counted nor written to the audit trail.
 */
@ApplicationScoped
public class WarmUp implements DoorParts.Rehearsals {

    private static final String HEADER = "x-haguard-warm-up";
    private static final double SETTLED = 0.05;
    private static final Logger LOG = Logger.getLogger(WarmUp.class);
    private static final int STREAMS = 16;
    private static final Duration ROUND = Duration.ofMillis(500);
    private static final Decision ALLOWED = new Decision(true, "", List.of(), JsonNodeFactory.instance.arrayNode(),
            List.of(), "defaults", false);

    private final Duration limit;
    private final jakarta.enterprise.inject.Instance<io.quarkus.vertx.http.HttpServer> server;
    private final List<byte[]> reviews;
    private final String token = newToken();
    private final CompletableFuture<String> done = new CompletableFuture<>();
    private volatile boolean warming = true;

    WarmUp(HaGuardConfig config, jakarta.enterprise.inject.Instance<io.quarkus.vertx.http.HttpServer> server,
            StandardRules rules) {
        this.limit = config.warmUp();
        this.server = server;
        this.reviews = rules.warmUp().stream().map(StandardRules.Sample::body).toList();
    }

    private static String newToken() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Decodes and encodes the reviews on a thread of its own while Quarkus boots: the first decode costs a second. */
    public static void preload() {
        Thread thread = new Thread(() -> {
            try {
                for (StandardRules.Sample sample : StandardRules.DEFAULT.warmUp()) {
                    Json.MAPPER.writeValueAsBytes(ReviewCodec.response(ReviewCodec.read(sample.body()).uid(), ALLOWED));
                }
            } catch (RuntimeException | LinkageError e) {
                LOG.debugf("preload failed (%s); the warm-up does the same", e.getClass().getSimpleName());
            } catch (IOException e) {
                LOG.debugf("preload failed (%s)", e.getMessage());
            }
        }, "haguard-preload");
        thread.setDaemon(true);
        thread.start();
    }

    void onHttps(@ObservesAsync HttpsServerStart start) {
        // A port of 0 asks the system for one (the tests do): the options then hold a placeholder, the server the port.
        int port = start.options().getPort() > 0 ? start.options().getPort() : server.get().getSecurePort();
        Thread thread = new Thread(() -> done.complete(run(port)), "haguard-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    /** Whether this request is one of the warm-up's own: judged, but not counted or recorded. */
    @Override
    public boolean rehearsal(RoutingContext ctx) {
        return warming && token.equals(ctx.request().getHeader(HEADER));
    }

    /** How the warm-up ended, or null while it runs. */
    String outcome() {
        return done.getNow(null);
    }

    private String run(int port) {
        if (limit.isZero()) {
            warming = false;
            return "skipped: haguard.warm-up is 0";
        }
        long start = System.nanoTime();
        try {
            // Its selector thread ends once the client is collected (JDK 17's HttpClient has no close()).
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(ownCertificate())
                    .build();
            List<byte[]> bodies = reviews;
            CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
            long deadline = start + limit.toNanos();
            long reviews = 0;
            int quiet = 0;
            double compiling = 1;
            while (quiet < 2 && System.nanoTime() < deadline) {
                long roundStart = System.nanoTime();
                long jitBefore = jit.getTotalCompilationTime();
                while (System.nanoTime() - roundStart < ROUND.toNanos()) {
                    reviews += round(client, port, bodies);
                }
                compiling = (jit.getTotalCompilationTime() - jitBefore) * 1e6 / (System.nanoTime() - roundStart);
                quiet = compiling < SETTLED ? quiet + 1 : 0;
            }
            String outcome = String.format(Locale.ROOT, "%d reviews in %d ms; %s (the JIT's threads compiled for "
                    + "%.0f%% of the last half second)", reviews, (System.nanoTime() - start) / 1_000_000,
                    quiet >= 2 ? "settled" : "stopped at haguard.warm-up", 100 * compiling);
            LOG.infof("warm-up: %s", outcome);
            return outcome;
        } catch (Exception e) {
            // Only the first requests are slower for it: never keep the server unready over this.
            LOG.warnf("warm-up failed (%s); the first admissions will be slower", e);
            return "failed: " + e.getMessage();
        } finally {
            warming = false;
        }
    }

    /** Every review to both webhooks, with up to {@link #STREAMS} in flight; how many were answered. */
    private int round(HttpClient client, int port, List<byte[]> bodies) throws Exception {
        Semaphore streams = new Semaphore(STREAMS);
        List<CompletableFuture<?>> sent = new ArrayList<>();
        for (byte[] body : bodies) {
            for (Webhook webhook : Webhook.values()) {
                if (!streams.tryAcquire(10, TimeUnit.SECONDS)) {
                    throw new TimeoutException("no answer from /" + webhook.path() + " within 10 s");
                }
                sent.add(send(client, port, webhook, body).whenComplete((r, e) -> streams.release()));
            }
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        return sent.size();
    }

    private CompletableFuture<?> send(HttpClient client, int port, Webhook webhook, byte[] body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/" + webhook.path()))
                .header("content-type", "application/json").header(HEADER, token)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).thenApply(response -> {
            if (response.statusCode() != 200 || response.version() != HttpClient.Version.HTTP_2) {
                throw new IllegalStateException("/" + webhook.path() + " answered " + response.statusCode() + " over "
                        + response.version());
            }
            return response;
        });
    }

    /** Trusts the certificate this process serves, whatever it is: the client only ever talks to localhost. */
    private static SSLContext ownCertificate() throws Exception {
        TrustManager any = new X509ExtendedTrustManager() {
            @Override public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) { }
            @Override public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) { }
            @Override public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { }
            @Override public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { }
            @Override public void checkClientTrusted(X509Certificate[] chain, String authType) { }
            @Override public void checkServerTrusted(X509Certificate[] chain, String authType) { }
            @Override public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {any}, new SecureRandom());
        return tls;
    }
}

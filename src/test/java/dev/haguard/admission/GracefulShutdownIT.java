package dev.haguard.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haguard.Fixtures;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM under load, on the packaged jar: readiness goes down while admissions are still answered, the requests in
 * flight finish, then the process exits. The load behaves like a Service in front of the pod: once readiness reports
 * down (the endpoints update), it sends nothing new, as kube-proxy would not; everything already sent must succeed.
 */
class GracefulShutdownIT {

    private static final int PORT = freePort();
    private static final int MANAGEMENT = freePort();

    /** A port nothing listens on now, so that two builds on one machine do not collide. */
    static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void a_shutdown_under_load_fails_no_accepted_request() throws Exception {
        // One fresh connection per request, and no silent retry of a POST: each outcome is one attempt's.
        System.setProperty("http.keepAlive", "false");
        System.setProperty("sun.net.http.retryPost", "false");
        Process server = new ProcessBuilder("java", "-Dquarkus.http.ssl-port=" + PORT,
                "-Dquarkus.management.port=" + MANAGEMENT, "-Dquarkus.shutdown.delay=2s",
                "-Dquarkus.tls.https.key-store.pem.0.cert=target/test-certs/tls.crt",
                "-Dquarkus.tls.https.key-store.pem.0.key=target/test-certs/tls.key",
                "-Dhaguard.policy.watch=false", "-jar", "target/quarkus-app/quarkus-run.jar")
                .redirectErrorStream(true).redirectOutput(Path.of("target/graceful-shutdown.log").toFile()).start();
        SSLContext tls = trustTestCa();
        byte[] body = Fixtures.bytes("pod-create-from-replicaset.mutating.json");
        try {
            waitUntil(() -> status("http://localhost:" + MANAGEMENT + "/q/health/ready", null) == 200, 30);

            AtomicBoolean stop = new AtomicBoolean();
            AtomicBoolean routable = new AtomicBoolean(true);
            AtomicInteger answered = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            List<String> failed = new java.util.concurrent.CopyOnWriteArrayList<>();
            List<Thread> senders = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                Thread t = new Thread(() -> {
                    while (!stop.get() && routable.get()) {
                        try {
                            int code = post(tls, body);
                            if (code == 200) {
                                answered.incrementAndGet();
                            } else {
                                failed.add("HTTP " + code);
                            }
                        } catch (NotAccepted e) {
                            // Refused, or cut while the listener closed, before the request was sent.
                            refused.incrementAndGet();
                            sleep(20);
                        } catch (IOException e) {
                            failed.add(e.toString());
                        }
                    }
                });
                t.start();
                senders.add(t);
            }
            waitUntil(() -> answered.get() >= 50, 30);
            int beforeTerm = answered.get();
            server.destroy(); // SIGTERM

            waitUntil(() -> status("http://localhost:" + MANAGEMENT + "/q/health/ready", null) == 503, 5);
            int atReadinessDown = answered.get();
            routable.set(false);
            assertThat(server.waitFor(40, TimeUnit.SECONDS)).as("exits within the grace period").isTrue();
            stop.set(true);
            for (Thread t : senders) {
                t.join();
            }

            assertThat(beforeTerm).isPositive();
            assertThat(answered.get()).as("admissions in flight when readiness went down still answered")
                    .isGreaterThanOrEqualTo(atReadinessDown);
            assertThat(failed).as("requests that were accepted and then failed").isEmpty();
            System.out.printf("graceful shutdown: %d answered before SIGTERM, %d in all, %d never accepted, 0 failed%n",
                    beforeTerm, answered.get(), refused.get());
        } finally {
            server.destroyForcibly();
        }
    }

    /** The connection or its TLS handshake failed: no request reached the server. */
    private static final class NotAccepted extends IOException {
        NotAccepted(IOException cause) {
            super(cause);
        }
    }

    private static int post(SSLContext tls, byte[] body) throws IOException {
        HttpsURLConnection c = (HttpsURLConnection) new URL("https://localhost:" + PORT + "/mutate").openConnection();
        c.setSSLSocketFactory(tls.getSocketFactory());
        c.setRequestProperty("Connection", "close");
        c.setRequestProperty("Content-Type", "application/json");
        c.setDoOutput(true);
        c.setConnectTimeout(2000);
        c.setReadTimeout(10000);
        try {
            c.connect();
        } catch (IOException e) {
            throw new NotAccepted(e);
        }
        try (OutputStream out = c.getOutputStream()) {
            out.write(body);
        }
        int code = c.getResponseCode();
        try (InputStream in = c.getInputStream()) {
            in.readAllBytes();
        }
        return code;
    }

    private static int status(String url, SSLContext tls) {
        try {
            HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
            c.setConnectTimeout(500);
            return c.getResponseCode();
        } catch (IOException e) {
            return -1;
        }
    }

    private static SSLContext trustTestCa() throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(Path.of("target/test-certs/ca.crt"))) {
            store.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        return tls;
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition, int seconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within %d s", seconds).isLessThan(deadline);
            sleep(20);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.haguard.admission;

import dev.haguard.config.HaGuardConfig;
import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Serves the admission port's TLS with BoringSSL (netty-tcnative's statically linked build, which carries it for Linux
 * and macOS on x86_64 and aarch64 and for Windows on x86_64) where it loads, per haguard.admission.tls-engine. The JDK's SSLEngine runs as Java, so a fresh replica's TLS is as
 * slow as its JIT is cold; BoringSSL is native from the first request. ALPN (HTTP/2) is required of it.
 */
@ApplicationScoped
public class TlsEngine implements HttpServerOptionsCustomizer {

    private static final Logger LOG = Logger.getLogger(TlsEngine.class);

    private final HaGuardConfig.TlsEngine wanted;
    private volatile String serving = "not yet";

    @Inject
    TlsEngine(HaGuardConfig config) {
        this(config.admission().tlsEngine());
    }

    TlsEngine(HaGuardConfig.TlsEngine wanted) {
        this.wanted = wanted;
    }

    @Override
    public void customizeHttpsServer(HttpServerOptions options) {
        boolean available = OpenSSLEngineOptions.isAvailable() && OpenSSLEngineOptions.isAlpnAvailable();
        if (wanted == HaGuardConfig.TlsEngine.OPENSSL && !available) {
            throw new IllegalStateException("haguard.admission.tls-engine is openssl, but netty-tcnative's BoringSSL "
                    + "does not load on this platform (" + System.getProperty("os.name") + " "
                    + System.getProperty("os.arch") + "); use auto or jdk");
        }
        boolean openssl = wanted != HaGuardConfig.TlsEngine.JDK && available;
        options.setSslEngineOptions(openssl ? new OpenSSLEngineOptions() : new JdkSSLEngineOptions());
        serving = openssl ? "BoringSSL (netty-tcnative)" : "the JDK's SSLEngine"
                + (wanted == HaGuardConfig.TlsEngine.AUTO ? " (BoringSSL does not load on this platform)" : "");
        LOG.infof("admission TLS: %s", serving);
    }

    /** Which implementation the admission port was given, once the server has started. */
    public String serving() {
        return serving;
    }
}

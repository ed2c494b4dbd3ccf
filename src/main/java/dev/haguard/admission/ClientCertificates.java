package dev.haguard.admission;

import dev.haguard.config.HaGuardConfig;
import dev.haguard.config.HaGuardConfig.ClientAuth;
import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Asks admission clients for a certificate when haguard.admission.client-auth is request or required. The TLS layer
 * only ever requests one (quarkus.http.ssl.client-auth is fixed at build time): {@link CallerCheck} refuses what
 * lacks an allowed certificate under required, so that the refusals are counted and logged (a failed handshake
 * never reaches ha-guard's code) and the warm-up can still reach its own server. A certificate that
 * quarkus.tls.https.trust-store.pem.certs does not trust fails the handshake.
 */
@ApplicationScoped
public class ClientCertificates implements HttpServerOptionsCustomizer {

    static final String TRUSTED = "quarkus.tls.https.trust-store.pem.certs";

    private final ClientAuth clientAuth;

    ClientCertificates(HaGuardConfig config, @ConfigProperty(name = TRUSTED) Optional<List<String>> trusted) {
        this.clientAuth = config.admission().clientAuth();
        if (clientAuth != ClientAuth.NONE && trusted.isEmpty()) {
            throw new IllegalStateException("haguard.admission.client-auth is " + clientAuth.name().toLowerCase(
                    java.util.Locale.ROOT) + " but " + TRUSTED + " (QUARKUS_TLS_HTTPS_TRUST_STORE_PEM_CERTS) names no "
                    + "CA bundle to verify client certificates with");
        }
    }

    @Override
    public void customizeHttpsServer(HttpServerOptions options) {
        if (clientAuth != ClientAuth.NONE) {
            options.setClientAuth(io.vertx.core.http.ClientAuth.REQUEST);
        }
    }
}

package dev.haguard.admission;

import dev.haguard.audit.Caller;
import dev.haguard.config.HaGuardConfig;
import dev.haguard.config.HaGuardConfig.ClientAuth;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.security.auth.x500.X500Principal;
import org.jboss.logging.Logger;

/**
 * First on every request to the admission port: who is calling (peer address; the subject of a client certificate
 * the TLS layer verified against quarkus.tls.https.trust-store.pem.certs), kept for the audit record. Under client-auth
 * required, a client without such a certificate, or whose subject allowed-subjects does not list, gets no answer
 * and leaves no record: its connection is closed, counted in haguard_refused_callers_total, and logged once a
 * second at most.
 */
@ApplicationScoped
public class CallerCheck {

    static final String CALLER = "haguard.caller";
    private static final Logger LOG = Logger.getLogger(CallerCheck.class);

    private final ClientAuth clientAuth;
    private final Set<String> allowed;
    private final MeterRegistry metrics;
    private final DoorParts.Rehearsals warmUp;
    private final LogLimiter refusedLog = new LogLimiter();

    CallerCheck(HaGuardConfig config, MeterRegistry metrics, DoorParts.Rehearsals warmUp) {
        this.clientAuth = config.admission().clientAuth();
        this.allowed = Arrays.stream(config.admission().allowedSubjects().orElse("").split(";")).map(String::trim)
                .filter(s -> !s.isEmpty()).map(CallerCheck::canonical).collect(Collectors.toUnmodifiableSet());
        this.metrics = metrics;
        this.warmUp = warmUp;
    }

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::check);
    }

    /** The caller of a request this check has seen; unknown for one it has not (a test calling a method directly). */
    static Caller of(RoutingContext ctx) {
        Caller caller = ctx == null ? null : ctx.get(CALLER);
        return caller == null ? Caller.UNKNOWN : caller;
    }

    private void check(RoutingContext ctx) {
        String subject = clientAuth == ClientAuth.NONE ? null : subject(ctx.request().sslSession());
        Caller caller = new Caller(ctx.request().remoteAddress() == null ? "" : ctx.request().remoteAddress().hostAddress(),
                subject);
        if (clientAuth == ClientAuth.REQUIRED && !warmUp.rehearsal(ctx)) { // the warm-up's token is this process's own
            String refused = subject == null ? "no-certificate"
                    : !allowed.isEmpty() && !allowed.contains(canonical(subject)) ? "subject-not-allowed" : null;
            if (refused != null) {
                metrics.counter("haguard_refused_callers", "reason", refused).increment();
                long count = refusedLog.count();
                if (count > 0) {
                    LOG.warnf("refused %d caller(s) without an allowed client certificate since the last report, "
                            + "e.g. %s (%s): no answer, no audit record", count, caller.address(),
                            subject == null ? "no certificate" : subject);
                }
                ctx.request().connection().close();
                return;
            }
        }
        ctx.put(CALLER, caller);
        ctx.next();
    }

    private static String subject(SSLSession session) {
        if (session == null) {
            return null;
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate x
                    ? x.getSubjectX500Principal().getName(X500Principal.RFC2253) : null;
        } catch (SSLPeerUnverifiedException e) {
            return null; // asked for, not given
        }
    }

    /** CN=a, O=b and cn=a,o=b are the same subject. */
    private static String canonical(String subject) {
        try {
            return new X500Principal(subject).getName(X500Principal.CANONICAL);
        } catch (IllegalArgumentException e) {
            return subject;
        }
    }
}

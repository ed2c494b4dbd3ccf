package dev.haguard.server;

import dev.haguard.policy.PolicySnapshot;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haguard.admission.AuditLog;
import dev.haguard.audit.AuditRecords;
import dev.haguard.audit.Caller;
import dev.haguard.audit.AuditTrail;
import dev.haguard.config.HaGuardConfig;
import dev.haguard.engine.Admission;
import dev.haguard.engine.Decision;
import dev.haguard.engine.Webhook;
import dev.haguard.json.Json;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/**
 * The server's audit trail: the {@code haguard.audit} log category (one JSON line each) and the optional file.
 * Created at start-up, so that every process start opens a new, visible chain.
 */
@Startup
@ApplicationScoped
public class Auditor implements AuditLog {

    /** Its own category, so that a log pipeline can route it, and its own plain format (application.properties). */
    public static final String CATEGORY = "haguard.audit";

    private static final Logger AUDIT = Logger.getLogger(CATEGORY);

    private final AuditTrail trail;
    private final boolean skipReasons;

    Auditor(HaGuardConfig config) {
        skipReasons = config.audit().skipReasons();
        try {
            trail = new AuditTrail(AUDIT::info, config.audit().file().map(Path::of).orElse(null),
                    config.audit().maxFileSize().asLongValue(), config.audit().keepFiles());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the audit file " + config.audit().file().orElse(""), e);
        }
    }

    @Override
    public void admission(Webhook webhook, Admission admission, Decision decision, PolicySnapshot policy,
            long nanos, boolean rehearsal, Caller caller) {
        ObjectNode version = Json.MAPPER.createObjectNode().put("digest", policy.digest()).put("source", policy.source())
                .put("resourceVersion", policy.resourceVersion());
        ObjectNode record = AuditRecords.admission(webhook, admission, decision, version, nanos, skipReasons, caller);
        if (rehearsal) {
            trail.rehearse(record);
        } else {
            trail.append(record);
        }
    }

    @Override
    public void malformed(String path, String problem, Caller caller) {
        trail.append(AuditRecords.malformed(path, problem, caller));
    }

    @Override
    public void overloaded(String path, int status, String problem, Caller caller) {
        trail.append(AuditRecords.overloaded(path, status, problem, caller));
    }

    void close(@Observes ShutdownEvent event) throws IOException {
        trail.close();
    }
}

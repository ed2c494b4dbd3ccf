package dev.haguard.policy;

import dev.haguard.config.HaGuardConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * The policy in force, as one reference to an immutable snapshot: a request reads it once and never
 * sees half of one version and half of another.
 */
@ApplicationScoped
public class PolicyHolder {

    private static final Logger LOG = Logger.getLogger(PolicyHolder.class);

    /** A policy and where it came from. */
    public record Loaded(Policy policy, String source, Instant loadedAt) {
    }

    private final AtomicReference<Loaded> current = new AtomicReference<>();
    private final HaGuardConfig config;

    PolicyHolder(HaGuardConfig config) {
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        Loaded loaded = config.policy().file()
                .map(f -> new Loaded(PolicyParser.parse(Path.of(f)), "file " + f, Instant.now()))
                .orElseGet(() -> new Loaded(PolicyParser.packagedDefault(), "packaged " + PolicyParser.PACKAGED_DEFAULT,
                        Instant.now()));
        current.set(loaded);
        LOG.infof("policy in force: %s", loaded.source());
    }

    /** The snapshot in force, or null before the first policy is loaded. */
    public Loaded current() {
        return current.get();
    }
}

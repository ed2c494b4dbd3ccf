package dev.haguard.server;

import dev.haguard.admission.DoorParts;
import dev.haguard.policy.Policy;
import dev.haguard.policy.PolicyException;
import dev.haguard.policy.PolicyParser;
import dev.haguard.policy.PolicySnapshot;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * The policy in force, as one reference to an immutable snapshot: a request reads it once and never sees half
 * of one version and half of another. A new document is parsed and validated before it is swapped in; an invalid
 * one leaves the last good policy in force.
 */
public class PolicyHolder implements DoorParts.Policies {

    private static final Logger LOG = Logger.getLogger(PolicyHolder.class);

    /** The last document that was refused, and when. */
    public record Failure(String source, String message, Instant at) {
    }

    private final AtomicReference<PolicySnapshot> current = new AtomicReference<>();
    private final AtomicReference<Failure> lastError = new AtomicReference<>();
    private final PolicySnapshot fallback;
    private final PolicyParser parser;
    private final MeterRegistry metrics;

    /** Starts on {@code fallback} (the file or the packaged default); reads new documents with {@code parser}. */
    public PolicyHolder(PolicySnapshot fallback, PolicyParser parser, MeterRegistry metrics) {
        this.fallback = fallback;
        this.parser = parser;
        this.metrics = metrics;
        current.set(fallback);
    }

    public PolicySnapshot current() {
        return current.get();
    }

    @Override
    public PolicySnapshot get() {
        return current.get();
    }

    public Failure lastError() {
        return lastError.get();
    }

    /** Parses and, if valid, puts a new document in force. Never throws: a bad document is logged and counted. */
    public boolean offer(String yaml, String source, String resourceVersion) {
        if (yaml == null) {
            return refuse(source, "the data entry holding the policy is missing");
        }
        try {
            Policy policy = parser.parse(yaml, source);
            count("applied"); // first: whoever sees the new policy in force sees it counted
            current.set(PolicySnapshot.of(policy, source, resourceVersion));
            lastError.set(null);
            LOG.infof("policy in force: %s (resourceVersion %s)", source, resourceVersion);
            return true;
        } catch (PolicyException e) {
            return refuse(source, e.getMessage());
        }
    }

    /** The document is gone: back to the file or packaged default, loudly. */
    public void withdraw(String source) {
        count("deleted");
        current.set(PolicySnapshot.of(fallback.policy(), fallback.source(), null));
        LOG.warnf("%s was deleted: the policy in force is now %s until it is created again", source, fallback.source());
    }

    private boolean refuse(String source, String message) {
        count("invalid");
        lastError.set(new Failure(source, message, Instant.now()));
        LOG.errorf("policy from %s refused, %s stays in force: %s", source, current.get().source(), message);
        return false;
    }

    private void count(String result) {
        metrics.counter("haguard_policy_reloads", "result", result).increment();
    }
}

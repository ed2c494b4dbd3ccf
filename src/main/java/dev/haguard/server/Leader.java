package dev.haguard.server;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * One of the replicas, chosen by a {@code coordination.k8s.io} Lease in ha-guard's namespace (fabric8's
 * LeaderElector): {@code onLead} runs when this replica takes the Lease, {@code onFollow} when it loses it, both on
 * {@code executor}. The Lease is released on close, so a rolling restart hands over at once; a replica that dies keeps
 * it until it expires.
 */
final class Leader implements AutoCloseable {

    /** Lease timings: how long a lease lasts, by when the leader must have renewed it, how often others try. */
    record Timing(Duration lease, Duration renewDeadline, Duration retry) {
        static final Timing DEFAULT = new Timing(Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2));
    }

    private final String identity;
    private final io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector elector;
    private CompletableFuture<?> election;
    private volatile boolean leading;
    private volatile String leader;

    Leader(KubernetesClient client, String namespace, String lease, String identity, Timing timing, Executor executor,
            Runnable onLead, Runnable onFollow) {
        this.identity = identity;
        this.elector = client.leaderElector().withConfig(new LeaderElectionConfigBuilder().withName(lease)
                .withLock(new LeaseLock(namespace, lease, identity)).withLeaseDuration(timing.lease())
                .withRenewDeadline(timing.renewDeadline()).withRetryPeriod(timing.retry()).withReleaseOnCancel(true)
                .withLeaderCallbacks(new LeaderCallbacks(() -> {
                    leading = true;
                    executor.execute(onLead);
                }, () -> {
                    leading = false;
                    executor.execute(onFollow);
                }, who -> leader = who)).build()).build();
    }

    /** This replica's name in the Leases: its pod's name (HOSTNAME), else a random one. */
    static final String OWN_IDENTITY = System.getenv().getOrDefault("HOSTNAME", "ha-guard-" + java.util.UUID.randomUUID());

    void start() {
        election = elector.start();
    }

    boolean leading() {
        return leading;
    }

    /** Who holds the Lease, as last seen; null before anyone was seen. */
    String leader() {
        return leader;
    }

    String identity() {
        return identity;
    }

    @Override
    public void close() {
        if (election != null) {
            election.cancel(true);
        }
    }
}

package dev.haguard.server;

import dev.haguard.cluster.ScanSources;
import dev.haguard.engine.Stored;
import dev.haguard.policy.Policy;
import dev.haguard.rules.StandardRules;
import dev.haguard.scan.Scan;
import dev.haguard.scan.ScanReport;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The background scan: of the replicas, the one holding the Lease {@value #LEASE} in ha-guard's namespace (fabric8's
 * LeaderElector) starts the scan's informers, scans once they are filled, then every {@code interval} and soon after
 * the policy changes, writes the reports and hands each result on. The others only wait for the Lease; when the leader
 * dies another takes over once the Lease expires.
 */
public final class ScanLeader implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ScanLeader.class);
    static final String LEASE = "ha-guard-scan";

    /**
     * Lease timings, how often the leader looks for a policy change, and how long it waits for its informers' first
     * lists before it scans anyway (and says which have not listed).
     */
    public record Timing(Duration lease, Duration renewDeadline, Duration retry, Duration policyCheck,
            Duration syncWait) {
        public static final Timing DEFAULT = new Timing(Duration.ofSeconds(15), Duration.ofSeconds(10),
                Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofMinutes(2));

        /** These timings, looking for a policy change this often. */
        public Timing withPolicyCheck(Duration check) {
            return new Timing(lease, renewDeadline, retry, check, syncWait);
        }

        Leader.Timing leaseTiming() {
            return new Leader.Timing(lease, renewDeadline, retry);
        }
    }

    /** What the scan needs besides the cluster: the policy in force and its digest, to see a change. */
    public interface Policies {
        Policy policy();

        String digest();
    }

    private final KubernetesClient client;
    private final String identity;
    private final Policies policies;
    private final StandardRules standard;
    private final Duration interval;
    private final Limits limits;
    private final PolicyReports reports;
    private final BiConsumer<ScanReport, Duration> published;
    private final Consumer<Throwable> failed;
    private final Leader elector;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "haguard-scan");
        t.setDaemon(true);
        return t;
    });
    private final Timing timing;
    private volatile boolean leading;
    private ScanSources sources;
    private ScheduledFuture<?> periodic;
    private ScheduledFuture<?> watcher;
    private String scannedDigest;
    private HeapValve valve;
    private DefaultBudgetsWriter budgets;
    /** The count of changes to what default budgets depend on when they were last written, and the policy's digest. */
    private long budgetsWritten = -1;
    private String budgetsDigest;
    /** Why this replica let go of the scan's informers while it leads (the heap), or null. */
    private String stopped;

    /**
     * @param maxObjects the most objects a scan judges (above it the scan is skipped)
     * @param heapShare of the old generation's maximum: above it after a collection, the informers are let go
     */
    public record Limits(int maxObjects, double heapShare) {
    }

    public ScanLeader(KubernetesClient client, String namespace, String identity, Policies policies,
            StandardRules standard, Duration interval, Limits limits, Timing timing, PolicyReports reports,
            BiConsumer<ScanReport, Duration> published, Consumer<Throwable> failed) {
        this.client = client;
        this.identity = identity;
        this.policies = policies;
        this.standard = standard;
        this.interval = interval;
        this.limits = limits;
        this.timing = timing;
        this.reports = reports;
        this.published = published;
        this.failed = failed;
        this.elector = new Leader(client, namespace, LEASE, identity, timing.leaseTiming(), executor, this::lead,
                this::follow);
    }

    /** Writes default PodDisruptionBudgets where the policy asks for them: after each scan, and soon after a change. */
    ScanLeader writingBudgets(DefaultBudgetsWriter writer) {
        this.budgets = writer;
        return this;
    }

    public void start() {
        elector.start();
        LOG.infof("background scan: %s competes for Lease %s (scan every %s)", identity, LEASE, interval);
    }

    public boolean leading() {
        return leading;
    }

    /** Who holds the Lease, as last seen; null before anyone was seen. */
    public String leader() {
        return elector.leader();
    }

    public String identity() {
        return identity;
    }

    private void lead() {
        LOG.infof("background scan: %s leads; starting the scan's informers", identity);
        leading = true;
        reports.reset();
        sources = ScanSources.start(client, standard.listed());
        stopped = null;
        budgetsWritten = -1; // the new informers count changes from 0
        budgetsDigest = null;
        valve = HeapValve.watch(limits.heapShare(), used -> executor.execute(() -> overHeap(used)));
        // Scan once every informer has listed, or after syncWait anyway: scan() then says which have not.
        ScanSources mine = sources;
        mine.synced().toCompletableFuture().completeOnTimeout(null, timing.syncWait().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((v, t) -> executor.execute(() -> {
                    // Scheduled after the heap valve stopped these informers too: each scan then says why it skips.
                    if (!leading || sources != mine && stopped == null) {
                        return;
                    }
                    periodic = executor.scheduleWithFixedDelay(this::scan, 0, interval.toMillis(),
                            TimeUnit.MILLISECONDS);
                    watcher = executor.scheduleWithFixedDelay(this::scanIfPolicyChanged,
                            timing.policyCheck().toMillis(), timing.policyCheck().toMillis(), TimeUnit.MILLISECONDS);
                }));
    }

    private void follow() {
        if (!leading) {
            return;
        }
        LOG.infof("background scan: %s no longer leads; stopping the scan's informers", identity);
        leading = false;
        if (periodic != null) {
            periodic.cancel(false);
            watcher.cancel(false);
        }
        if (sources != null) {
            sources.close();
            sources = null;
        }
        if (valve != null) {
            valve.close();
            valve = null;
        }
    }

    /**
     * The heap's old generation held more than its share after a collection while this replica leads: its informers
     * let go of the cluster, and each scan says why it does not run, until this replica leads again (a restart, or a
     * new leader with more memory).
     */
    private void overHeap(long used) {
        if (!leading || sources == null || valve == null) {
            return;
        }
        int count = sources.count();
        sources.close();
        sources = null;
        stopped = String.format(java.util.Locale.ROOT, "the old generation held %d of its %d MiB after a collection "
                + "(haguard.scan.heap-limit %.2f) while the scan's informers held %d objects: they were stopped on this "
                + "replica rather than run it out of memory, so the scan is skipped. Raise the memory limit (the heap "
                + "a cluster's size needs is in docs/operations.md), or run ha-guard scan elsewhere", used >> 20,
                valve.max() >> 20, limits.heapShare(), count);
        LOG.errorf("background scan: %s", stopped);
        failed.accept(new IllegalStateException(stopped));
        valve.close();
        valve = null;
    }

    private void scanIfPolicyChanged() {
        String digest = policies.digest();
        if (!digest.equals(scannedDigest)) {
            // Never scanned yet (informers still listing): tried again at each check until one completes.
            if (scannedDigest != null) {
                LOG.infof("background scan: the policy changed; scanning again");
            }
            scan();
        }
        // Apart from the scan, which may be skipped for kinds the budgets do not read (Velero's, say).
        if (sources != null && stopped == null && budgets != null
                && (sources.changes(BUDGETS_READ) != budgetsWritten || !digest.equals(budgetsDigest))) {
            writeBudgets();
        }
    }

    /** What default budgets are judged from: a change to any of these is looked at within policyCheck. */
    private static final List<String> BUDGETS_READ = List.of("Deployment", "StatefulSet", "PodDisruptionBudget",
            "HorizontalPodAutoscaler", "Namespace");

    /** Brings ha-guard's default budgets to what the policy asks; a failure is logged, and tried again later. */
    private void writeBudgets() {
        // A budget not listed yet would look like none: never plan before what it reads has listed (Velero need not).
        if (budgets == null || sources == null || sources.unsynced().stream().anyMatch(BUDGETS_READ::contains)) {
            return;
        }
        try {
            long changes = sources.changes(BUDGETS_READ);
            String digest = policies.digest();
            budgets.apply(standard.defaultBudgets(new Stored(sources, Instant.now(), null), policies.policy()));
            budgetsWritten = changes;
            budgetsDigest = digest;
        } catch (RuntimeException e) {
            LOG.errorf(e, "default PodDisruptionBudgets: failed; trying again at the next change or scan");
        }
    }

    /** One scan; a failure is reported and the next interval tries again. */
    void scan() {
        if (leading && stopped != null) {
            LOG.errorf("background scan: %s", stopped);
            failed.accept(new IllegalStateException(stopped));
            return;
        }
        if (!leading || sources == null) {
            return;
        }
        try {
            long start = System.nanoTime();
            String digest = policies.digest();
            Boolean velero = sources.veleroInstalled();
            List<String> unsynced = sources.unsynced();
            if (!unsynced.isEmpty()) {
                // Judging a part of the cluster would delete the reports of what is not listed yet.
                throw new IllegalStateException("the scan's informers have not listed " + String.join(", ", unsynced)
                        + " yet (is list/watch on them missing from ha-guard's RBAC?): scan skipped");
            }
            int count = sources.count();
            if (count > limits.maxObjects()) {
                throw new IllegalStateException("the cluster holds " + count + " objects to judge, more than "
                        + "haguard.scan.max-objects " + limits.maxObjects() + " that fit in this replica's memory: scan skipped. "
                        + "Raise the memory limit and haguard.scan.max-objects together, or run ha-guard scan elsewhere");
            }
            ScanReport result = Scan.of(sources, standard, policies.policy(), Instant.now(),
                    velero != null && velero);
            reports.write(result);
            scannedDigest = digest;
            writeBudgets();
            published.accept(result, Duration.ofNanos(System.nanoTime() - start));
        } catch (IllegalStateException e) {
            LOG.errorf("background scan: %s", e.getMessage());
            failed.accept(e);
        } catch (Exception e) {
            LOG.errorf(e, "background scan failed; trying again in %s", interval);
            failed.accept(e);
        }
    }

    @Override
    public void close() {
        elector.close();
        executor.execute(this::follow);
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

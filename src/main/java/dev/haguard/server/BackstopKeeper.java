package dev.haguard.server;

import dev.haguard.backstop.Backstop;
import dev.haguard.cluster.Watching;
import dev.haguard.config.HaGuardConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * With {@code haguard.backstop.enabled}: the replica holding the Lease {@value #LEASE} writes the backstop's policies
 * when it takes the Lease and within 10 s of a policy change ({@link BackstopSync}).
 */
@ApplicationScoped
public class BackstopKeeper {

    private static final Logger LOG = Logger.getLogger(BackstopKeeper.class);
    static final String LEASE = "ha-guard-backstop";

    private final HaGuardConfig config;
    private final Instance<KubernetesClient> client;
    private final PolicyHolder holder;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "haguard-backstop");
        t.setDaemon(true);
        return t;
    });
    private Leader leader;
    private BackstopSync sync;
    private ScheduledFuture<?> watching;
    private String synced;

    BackstopKeeper(HaGuardConfig config, Instance<KubernetesClient> client, PolicyHolder holder) {
        this.config = config;
        this.client = client;
        this.holder = holder;
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.backstop().enabled() || !Watching.writes(config.policy().watch())) {
            return;
        }
        KubernetesClient kube = client.get();
        sync = new BackstopSync(kube);
        String identity = Leader.OWN_IDENTITY;
        leader = new Leader(kube, Watching.ownNamespace(), LEASE, identity, Leader.Timing.DEFAULT, executor, this::lead,
                this::follow);
        leader.start();
        LOG.infof("backstop: %s competes for Lease %s", identity, LEASE);
    }

    private void lead() {
        sync.reset();
        synced = null;
        watching = executor.scheduleWithFixedDelay(this::syncIfChanged, 0, 10, TimeUnit.SECONDS);
    }

    private void follow() {
        if (watching != null) {
            watching.cancel(false);
        }
    }

    private void syncIfChanged() {
        PolicyHolder.Loaded current = holder.current();
        if (current.digest().equals(synced)) {
            return;
        }
        try {
            sync.sync(Backstop.of(current.policy()));
            synced = current.digest();
        } catch (RuntimeException e) {
            LOG.errorf(e, "backstop: writing the ValidatingAdmissionPolicies failed; trying again in 10 s");
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        if (leader != null) {
            leader.close();
        }
        executor.shutdownNow();
    }
}

package dev.haguard.server;

import dev.haguard.policy.PolicySnapshot;
import dev.haguard.cel.Autoscaled;
import dev.haguard.backstop.Backstop;
import dev.haguard.cluster.Watching;
import dev.haguard.config.HaGuardConfig;
import dev.haguard.rules.StandardRules;
import dev.haguard.json.Sha256;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * With {@code haguard.backstop.enabled}: the replica holding the Lease {@value #LEASE} writes the backstop's policies
 * when it takes the Lease and within haguard.scan.recheck (10 s) of a policy change ({@link BackstopSync}), and the
 * {@link Autoscaled} parameter within as long of an HPA change. Only the policies bound Deny: the webhook gives the warnings itself.
 */
@ApplicationScoped
public class BackstopKeeper {

    private static final Logger LOG = Logger.getLogger(BackstopKeeper.class);
    static final String LEASE = "ha-guard-backstop";

    private final HaGuardConfig config;
    private final Instance<KubernetesClient> client;
    private final PolicyHolder holder;
    private final ClusterWatch cluster;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "haguard-backstop");
        t.setDaemon(true);
        return t;
    });
    private Leader leader;
    private BackstopSync sync;
    private ScheduledFuture<?> watching;
    private String synced;
    private boolean saidWaiting;

    private final StandardRules rules;

    BackstopKeeper(HaGuardConfig config, Instance<KubernetesClient> client, PolicyHolder holder, ClusterWatch cluster,
            StandardRules rules) {
        this.config = config;
        this.client = client;
        this.holder = holder;
        this.cluster = cluster;
        this.rules = rules;
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
        watching = executor.scheduleWithFixedDelay(this::syncIfChanged, 0, config.scan().recheck().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void follow() {
        if (watching != null) {
            watching.cancel(false);
        }
    }

    /** Writes what changed: the policy, or which workloads HPAs scale (read once the HPA cache has listed them). */
    private void syncIfChanged() {
        PolicySnapshot current = holder.current();
        Optional<Map<String, String>> scaled = cluster.current().autoscaled();
        if (scaled.isEmpty()) {
            if (!saidWaiting) {
                LOG.info("backstop: waiting for the HorizontalPodAutoscaler cache to list before writing");
                saidWaiting = true;
            }
            return;
        }
        String state = current.digest() + "/" + Sha256.hex(scaled.get().toString());
        if (state.equals(synced)) {
            return;
        }
        try {
            String namespace = Watching.ownNamespace();
            sync.sync(Autoscaled.configMap(namespace, scaled.get(), current.policy().workloadKinds()), Backstop.of(current.policy(), namespace,
                    rules.rules()).denyOnly());
            synced = state;
        } catch (RuntimeException e) {
            LOG.errorf(e, "backstop: writing the ValidatingAdmissionPolicies failed; trying again in %s",
                    config.scan().recheck());
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        if (leader != null) {
            leader.close();
        }
        executor.shutdownNow();
    }
}

package dev.haguard.server;

import dev.haguard.cluster.ClusterCache;
import dev.haguard.cluster.Watching;
import dev.haguard.config.HaGuardConfig;
import dev.haguard.policy.PolicyConfigMap;
import dev.haguard.rules.StandardRules;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * At start-up, when ha-guard runs against a cluster: starts the policy ConfigMap watch and the cluster caches, and
 * waits (bounded) for their first read, so that the first admission is judged by the policy in the cluster. Ready
 * once that is done, or at once when there is no cluster to watch.
 */
@ApplicationScoped
public class ClusterConnection {

    private static final Logger LOG = Logger.getLogger(ClusterConnection.class);

    private final HaGuardConfig config;
    private final Instance<KubernetesClient> client;
    private final PolicyConfigMap location;
    private final PolicyHolder holder;
    private final ClusterWatch cluster;
    private final StandardRules rules;
    private volatile boolean ready;
    private PolicyWatch policyWatch;
    private ClusterCache cache;

    ClusterConnection(HaGuardConfig config, Instance<KubernetesClient> client, PolicyConfigMap location,
            PolicyHolder holder, ClusterWatch cluster, StandardRules rules) {
        this.config = config;
        this.client = client;
        this.location = location;
        this.holder = holder;
        this.cluster = cluster;
        this.rules = rules;
    }

    void onStart(@Observes StartupEvent event) {
        if (Watching.enabled(config.policy().watch())) {
            connect(client.get());
        } else {
            LOG.infof("not watching a cluster (no in-cluster service account, no kubeconfig): the policy is %s",
                    holder.current().source());
        }
        ready = true;
    }

    private void connect(KubernetesClient kube) {
        policyWatch = PolicyWatch.start(kube, location, holder);
        cache = ClusterCache.start(kube, rules.needs());
        long timeout = config.policy().syncTimeout().toMillis();
        try {
            CompletableFuture.allOf(policyWatch.synced().toCompletableFuture(), cache.synced().toCompletableFuture())
                    .get(timeout, TimeUnit.MILLISECONDS);
            if (!policyWatch.found()) {
                LOG.warnf("%s does not exist: the policy is %s until it is created", location, holder.current().source());
            }
        } catch (TimeoutException | ExecutionException e) {
            LOG.warnf("the Kubernetes API did not answer within %s (%s): running on %s; the watch keeps retrying",
                    config.policy().syncTimeout(), e.getClass().getSimpleName(), holder.current().source());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            cluster.use(cache);
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        if (policyWatch != null) {
            policyWatch.close();
        }
        if (cache != null) {
            cache.close();
        }
    }

    /** True once the first policy is in force (after the first read of the ConfigMap, when watching). */
    public boolean ready() {
        return ready;
    }
}

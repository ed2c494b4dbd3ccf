package dev.haguard.policy;

import dev.haguard.cluster.ClusterCache;
import dev.haguard.cluster.Watching;
import dev.haguard.config.HaGuardConfig;
import dev.haguard.engine.AdmissionEngine;
import dev.haguard.engine.ClusterView;
import dev.haguard.rules.StandardRules;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Where the server's policy comes from: the policy ConfigMap, watched by an informer, when ha-guard runs
 * against a cluster; otherwise the configured file or the packaged default. Also owns the cluster caches.
 */
@ApplicationScoped
public class PolicyService {

    private static final Logger LOG = Logger.getLogger(PolicyService.class);

    private final HaGuardConfig config;
    private final Instance<KubernetesClient> client;
    private final PolicyConfigMap location;
    private final PolicyHolder holder;
    private final AdmissionEngine engine;
    private volatile ClusterView cluster = ClusterView.NONE;
    private volatile boolean ready;
    private SharedIndexInformer<ConfigMap> informer;
    private ClusterCache cache;

    PolicyService(HaGuardConfig config, Instance<KubernetesClient> client, MeterRegistry metrics) {
        this.config = config;
        this.client = client;
        this.location = new PolicyConfigMap(Watching.ownNamespace(config.policy().configmap().namespace()),
                config.policy().configmap().name(), config.policy().configmap().key());
        this.engine = StandardRules.engine(location);
        // A broken file is a start-up configuration error: fail fast, naming the key and line.
        PolicyHolder.Loaded fallback = config.policy().file()
                .map(f -> PolicyHolder.Loaded.of(PolicyParser.parse(Path.of(f)), "file " + f, null))
                .orElseGet(() -> PolicyHolder.Loaded.of(PolicyParser.packagedDefault(),
                        "packaged " + PolicyParser.PACKAGED_DEFAULT, null));
        this.holder = new PolicyHolder(fallback, metrics);
    }

    void onStart(@Observes StartupEvent event) {
        PolicyHolder.Loaded fallback = holder.current();
        if (Watching.enabled(config.policy().watch())) {
            watch();
        } else {
            LOG.infof("not watching a cluster (no in-cluster service account, no kubeconfig): the policy is %s",
                    fallback.source());
        }
        ready = true;
    }

    private void watch() {
        KubernetesClient kube = client.get();
        informer = kube.configMaps().inNamespace(location.namespace()).withName(location.name()).runnableInformer(0);
        informer.exceptionHandler((started, t) -> true);
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(ConfigMap cm) {
                offer(cm);
            }

            @Override
            public void onUpdate(ConfigMap old, ConfigMap cm) {
                offer(cm);
            }

            @Override
            public void onDelete(ConfigMap cm, boolean unknownState) {
                holder.withdraw(location.toString());
            }
        });
        cache = ClusterCache.start(kube);
        try {
            informer.start().toCompletableFuture().get(config.policy().syncTimeout().toMillis(), TimeUnit.MILLISECONDS);
            cache.synced().toCompletableFuture().get(config.policy().syncTimeout().toMillis(), TimeUnit.MILLISECONDS);
            cluster = cache;
            if (informer.getStore().list().isEmpty()) {
                LOG.warnf("%s does not exist: the policy is %s until it is created", location, holder.current().source());
            }
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            cluster = cache;
            LOG.warnf("the Kubernetes API did not answer within %s (%s): running on %s; the watch keeps retrying",
                    config.policy().syncTimeout(), e.getClass().getSimpleName(), holder.current().source());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void offer(ConfigMap cm) {
        holder.offer(cm.getData() == null ? null : cm.getData().get(location.key()), location.toString(),
                cm.getMetadata().getResourceVersion());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (informer != null) {
            informer.close();
        }
        if (cache != null) {
            cache.close();
        }
    }

    public PolicyHolder holder() {
        return holder;
    }

    public AdmissionEngine engine() {
        return engine;
    }

    public ClusterView cluster() {
        return cluster;
    }

    public PolicyConfigMap location() {
        return location;
    }

    /** True once the first policy is in force (after the first read of the ConfigMap, when watching). */
    public boolean ready() {
        return ready;
    }
}

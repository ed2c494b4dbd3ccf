package dev.haguard.server;

import dev.haguard.policy.PolicyConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.concurrent.CompletionStage;

/** The policy ConfigMap, watched by an informer: every version of it is offered to the {@link PolicyHolder}. */
final class PolicyWatch implements AutoCloseable {

    private final SharedIndexInformer<ConfigMap> informer;

    private PolicyWatch(SharedIndexInformer<ConfigMap> informer) {
        this.informer = informer;
    }

    static PolicyWatch start(KubernetesClient kube, PolicyConfigMap location, PolicyHolder holder) {
        SharedIndexInformer<ConfigMap> informer = kube.configMaps().inNamespace(location.namespace())
                .withName(location.name()).runnableInformer(0);
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

            private void offer(ConfigMap cm) {
                holder.offer(cm.getData() == null ? null : cm.getData().get(location.key()), location.toString(),
                        cm.getMetadata().getResourceVersion());
            }
        });
        return new PolicyWatch(informer);
    }

    /** Completes once the informer has read the ConfigMap, or learnt that it does not exist. */
    CompletionStage<Void> synced() {
        return informer.start();
    }

    boolean found() {
        return !informer.getStore().list().isEmpty();
    }

    @Override
    public void close() {
        informer.close();
    }
}

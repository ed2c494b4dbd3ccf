package dev.haguard.cluster;

import dev.haguard.engine.ClusterView;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.ReducedStateItemStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Namespaces, HorizontalPodAutoscalers and the label keys of schedulable Nodes as informers see them: read on the
 * request path, never fetched there. Nodes are stored reduced to their labels, cordon and taints (a Node's status,
 * with its image list, is most of its bytes).
 */
public final class ClusterCache implements ClusterView, AutoCloseable {

    private static final String BY_TARGET = "scaleTarget";

    private final SharedIndexInformer<Namespace> namespaces;
    private final SharedIndexInformer<HorizontalPodAutoscaler> autoscalers;
    private final SharedIndexInformer<Node> nodes;
    private final NodeLabels nodeLabels;
    private final CompletableFuture<Void> synced;

    private ClusterCache(SharedIndexInformer<Namespace> namespaces, SharedIndexInformer<HorizontalPodAutoscaler> autoscalers,
            SharedIndexInformer<Node> nodes, NodeLabels nodeLabels) {
        this.namespaces = namespaces;
        this.autoscalers = autoscalers;
        this.nodes = nodes;
        this.nodeLabels = nodeLabels;
        this.synced = CompletableFuture.allOf(namespaces.start().toCompletableFuture(),
                autoscalers.start().toCompletableFuture(), nodes.start().toCompletableFuture());
    }

    /** Starts both informers; they retry on their own when the API server is unreachable. */
    public static ClusterCache start(KubernetesClient client) {
        SharedIndexInformer<Namespace> ns = client.namespaces().runnableInformer(0);
        SharedIndexInformer<HorizontalPodAutoscaler> hpa = client.autoscaling().v2().horizontalPodAutoscalers()
                .inAnyNamespace().runnableInformer(0);
        hpa.addIndexers(Map.of(BY_TARGET, h -> h.getSpec() == null || h.getSpec().getScaleTargetRef() == null
                ? List.of() : List.of(key(h.getMetadata().getNamespace(), h.getSpec().getScaleTargetRef().getKind(),
                        h.getSpec().getScaleTargetRef().getName()))));
        NodeLabels labels = new NodeLabels();
        SharedIndexInformer<Node> nodes = client.nodes().runnableInformer(0)
                .itemStore(new ReducedStateItemStore<>(ReducedStateItemStore.NAME_KEY_STATE, Node.class,
                        client.getKubernetesSerialization(), "metadata.labels", "spec.unschedulable", "spec.taints"));
        nodes.addEventHandler(labels);
        ns.exceptionHandler((started, t) -> true);
        hpa.exceptionHandler((started, t) -> true);
        nodes.exceptionHandler((started, t) -> true);
        return new ClusterCache(ns, hpa, nodes, labels);
    }

    /** Completes once every cache holds a first full list. */
    public CompletionStage<Void> synced() {
        return synced;
    }

    private static String key(String namespace, String kind, String name) {
        return namespace + "/" + kind + "/" + name;
    }

    @Override
    public Map<String, String> namespaceLabels(String namespace) {
        Namespace ns = namespace == null || namespace.isEmpty() ? null : namespaces.getStore().getByKey(namespace);
        return ns == null || ns.getMetadata().getLabels() == null ? Map.of() : ns.getMetadata().getLabels();
    }

    @Override
    public Optional<String> autoscaler(String namespace, String kind, String name) {
        return autoscalers.getIndexer().byIndex(BY_TARGET, key(namespace, kind, name)).stream()
                .map(h -> h.getMetadata().getName()).findFirst();
    }

    @Override
    public Optional<Nodes> nodesWithout(String key) {
        return nodes.hasSynced() ? nodeLabels.without(key) : Optional.empty();
    }

    @Override
    public void close() {
        namespaces.close();
        autoscalers.close();
        nodes.close();
    }
}

package dev.haguard.cli;

import dev.haguard.scan.UnusableInput;
import dev.haguard.scan.Document;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haguard.cluster.Velero;
import dev.haguard.json.Json;
import dev.haguard.json.Yaml;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.ArrayList;
import java.util.List;

/**
 * What a live scan reads: the kinds the rules judge, and what they judge them against (Namespaces, HPAs,
 * PodDisruptionBudgets), listed once each with get/list only, never a write. A refused list names the permission it
 * needs; a cluster that cannot be reached says where it was looked for.
 */
final class LiveCluster {

    private interface Lister {
        List<? extends HasMetadata> list(KubernetesClient client, String namespace, String selector);
    }

    /** What one list needs: its name for messages and RBAC, and how to list it. */
    private record Source(String resource, String group, Lister lister) {
    }

    private static final List<Source> SOURCES = List.of(
            new Source("deployments", "apps", (c, n, l) -> list(c.apps().deployments(), n, l)),
            new Source("statefulsets", "apps", (c, n, l) -> list(c.apps().statefulSets(), n, l)),
            new Source("replicasets", "apps", (c, n, l) -> list(c.apps().replicaSets(), n, l)),
            new Source("daemonsets", "apps", (c, n, l) -> list(c.apps().daemonSets(), n, l)),
            new Source("replicationcontrollers", "", (c, n, l) -> list(c.replicationControllers(), n, l)),
            new Source("jobs", "batch", (c, n, l) -> list(c.batch().v1().jobs(), n, l)),
            new Source("cronjobs", "batch", (c, n, l) -> list(c.batch().v1().cronjobs(), n, l)),
            new Source("horizontalpodautoscalers", "autoscaling",
                    (c, n, l) -> list(c.autoscaling().v2().horizontalPodAutoscalers(), n, l)),
            new Source("poddisruptionbudgets", "policy", (c, n, l) -> list(c.policy().v1().podDisruptionBudget(), n, l)),
            new Source("pods", "", (c, n, l) -> list(c.pods(), n, l)),
            new Source("persistentvolumeclaims", "", (c, n, l) -> list(c.persistentVolumeClaims(), n, l)),
            new Source("services", "", (c, n, l) -> list(c.services(), n, l)));

    private LiveCluster() {
    }

    /** A client for the cluster kubectl would use, or the kubeconfig and context named; says why when there is none. */
    static KubernetesClient connect(java.nio.file.Path kubeconfig, String context) throws UnusableInput {
        io.fabric8.kubernetes.client.Config config;
        try {
            config = kubeconfig != null ? io.fabric8.kubernetes.client.Config.fromKubeconfig(context,
                    java.nio.file.Files.readString(kubeconfig), kubeconfig.toString())
                    : io.fabric8.kubernetes.client.Config.autoConfigure(context);
        } catch (Exception e) {
            throw new UnusableInput("no usable kubeconfig" + (kubeconfig == null ? "" : " in " + kubeconfig)
                    + ": " + e.getMessage());
        }
        config.setRequestTimeout(30_000);
        config.setRequestRetryBackoffLimit(2); // an unreachable cluster is said in seconds, not after ten retries
        return new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(config).build();
    }

    static List<Document> read(KubernetesClient client, String namespace, String selector,
            java.util.function.Consumer<String> notes) throws UnusableInput {
        List<Document> docs = new ArrayList<>();
        String where = namespace == null ? "in all namespaces" : "in namespace " + namespace;
        try {
            if (namespace == null) {
                client.namespaces().list().getItems().forEach(n -> docs.add(Document.of(n)));
            }
        } catch (KubernetesClientException e) {
            throw refused(e, "namespaces", "", "at the cluster scope", client);
        }
        try {
            placementInputs(client, docs, notes);
        } catch (KubernetesClientException e) {
            throw refused(e, "nodes", "", "at the cluster scope", client);
        }
        for (Source source : SOURCES) {
            try {
                source.lister().list(client, namespace, selector).forEach(item -> docs.add(Document.of(item)));
            } catch (KubernetesClientException e) {
                throw refused(e, source.resource(), source.group(), where, client);
            }
        }
        return docs;
    }

    /**
     * Velero's Schedules, Backups and BackupStorageLocations (velero.io/v1), as generic resources; empty when the
     * cluster has no Velero CRDs (404), which is a finding of the scan, not an error.
     */
    static java.util.Optional<List<Document>> velero(KubernetesClient client)
            throws UnusableInput {
        List<Document> docs = new ArrayList<>();
        for (var kind : List.of(Velero.SCHEDULES, Velero.BACKUPS, Velero.LOCATIONS)) {
            try {
                // Schedules and their Backups live in Velero's namespace, whatever namespaces they back up.
                client.genericKubernetesResources(kind).inAnyNamespace().list().getItems().forEach(o -> docs.add(Document.of(o)));
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    return java.util.Optional.empty();
                }
                throw refused(e, kind.getPlural(), "velero.io", "in all namespaces", client);
            }
        }
        return java.util.Optional.of(docs);
    }

    /**
     * Nodes and PersistentVolumes (cluster-scoped) tell where replicas and volumes sit. A user allowed into one
     * namespace may not list them: then placement is not judged, with a note, and the rest of the scan goes on.
     */
    private static void placementInputs(KubernetesClient client, List<Document> docs,
            java.util.function.Consumer<String> notes) {
        try {
            client.nodes().list().getItems().forEach(n -> docs.add(Document.of(n)));
            client.persistentVolumes().list().getItems().forEach(v -> docs.add(Document.of(v)));
        } catch (KubernetesClientException e) {
            if (e.getCode() != 401 && e.getCode() != 403) {
                throw e;
            }
            notes.accept("placement not judged: cannot list nodes and persistentvolumes (" + e.getCode()
                    + "); they are cluster-scoped (kubectl auth can-i list nodes)");
        }
    }

    private static <T extends HasMetadata, L extends KubernetesResourceList<T>, R extends Resource<T>> List<T> list(
            MixedOperation<T, L, R> op, String namespace, String selector) {
        FilterWatchListDeletable<T, L, R> scoped = namespace == null ? op.inAnyNamespace() : op.inNamespace(namespace);
        return (selector == null ? scoped.list() : scoped.withLabelSelector(selector).list()).getItems();
    }

    private static UnusableInput refused(KubernetesClientException e, String resource, String group,
            String where, KubernetesClient client) {
        String name = resource + (group.isEmpty() ? "" : "." + group);
        if (e.getCode() == 401 || e.getCode() == 403) {
            return new UnusableInput("cannot list " + name + " " + where + ": the API server answered "
                    + e.getCode() + (e.getCode() == 403 ? " (forbidden)" : " (not authenticated)") + ". The scan needs "
                    + "get and list on " + name + " (check with: kubectl auth can-i list " + name
                    + (where.startsWith("in namespace ") ? " -n " + where.substring("in namespace ".length()) : " -A")
                    + "); it never writes.");
        }
        return new UnusableInput("cannot list " + name + " " + where + " at " + client.getMasterUrl() + ": "
                + (e.getCode() > 0 ? "HTTP " + e.getCode() + " " : "") + firstLine(e));
    }

    private static String firstLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.lines().findFirst().orElse("");
    }
}

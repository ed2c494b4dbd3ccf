package dev.haguard.cli;

import dev.haguard.cluster.Paging;
import dev.haguard.engine.ApiKind;
import dev.haguard.scan.UnusableInput;
import dev.haguard.scan.Document;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a live scan reads: the kinds the rules judge and read (each rule declares them), listed once each with
 * get/list only, never a write. A refused list names the permission it needs; a cluster that cannot be reached says
 * where it was looked for. Cluster-scoped kinds other than Namespaces (Nodes, PersistentVolumes: where replicas and
 * volumes sit) may be refused to a user allowed into one namespace: placement is then not judged, with a note.
 */
final class LiveCluster {

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

    /** Every object of {@code kinds} (custom resources aside: see {@link #velero}). */
    static List<Document> read(KubernetesClient client, List<ApiKind> kinds, String namespace, String selector,
            java.util.function.Consumer<String> notes) throws UnusableInput {
        List<Document> docs = new ArrayList<>();
        String where = namespace == null ? "in all namespaces" : "in namespace " + namespace;
        List<String> unlisted = new ArrayList<>();
        for (ApiKind kind : kinds) {
            if (kind.optional() || kind.plural().equals("namespaces") && namespace != null) {
                continue;
            }
            try {
                list(client, kind, namespace, selector).forEach(item -> docs.add(Document.of(item)));
            } catch (KubernetesClientException e) {
                boolean refused = e.getCode() == 401 || e.getCode() == 403;
                if (!kind.namespaced() && !kind.plural().equals("namespaces") && refused) {
                    unlisted.add(kind.plural());
                    continue;
                }
                throw refused(e, kind.plural(), kind.group(), kind.namespaced() ? where : "at the cluster scope",
                        client);
            }
        }
        if (!unlisted.isEmpty()) {
            notes.accept("placement not judged: cannot list " + String.join(" and ", unlisted) + "; they are "
                    + "cluster-scoped (kubectl auth can-i list " + unlisted.get(0) + ")");
        }
        return docs;
    }

    private static List<? extends HasMetadata> list(KubernetesClient client, ApiKind kind, String namespace,
            String selector) {
        var all = client.resources(kind.model());
        if (!kind.namespaced()) {
            return Paging.all(all::list, null);
        }
        var scoped = namespace == null ? all.inAnyNamespace() : all.inNamespace(namespace);
        return Paging.all(scoped::list, selector);
    }

    /**
     * Velero's Schedules, Backups and BackupStorageLocations (velero.io/v1), as generic resources; empty when the
     * cluster has no Velero CRDs (404), which is a finding of the scan, not an error.
     */
    static java.util.Optional<List<Document>> velero(KubernetesClient client, List<ApiKind> kinds)
            throws UnusableInput {
        List<Document> docs = new ArrayList<>();
        for (var kind : kinds.stream().filter(ApiKind::optional).map(LiveCluster::context).toList()) {
            try {
                // Schedules and their Backups live in Velero's namespace, whatever namespaces they back up.
                Paging.all(client.genericKubernetesResources(kind).inAnyNamespace()::list, null)
                        .forEach(o -> docs.add(Document.of(o)));
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    return java.util.Optional.empty();
                }
                throw refused(e, kind.getPlural(), "velero.io", "in all namespaces", client);
            }
        }
        return java.util.Optional.of(docs);
    }

    private static io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext context(ApiKind kind) {
        return new io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext.Builder().withGroup(kind.group())
                .withVersion(kind.version()).withKind(kind.kind()).withPlural(kind.plural())
                .withNamespaced(kind.namespaced()).build();
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

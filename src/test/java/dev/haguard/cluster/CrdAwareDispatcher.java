package dev.haguard.cluster;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.Map;

/**
 * The fabric8 mock API server in CRUD mode, which serves any path, made to answer for Velero's and the policy
 * reports' API groups as a real API server does: 404, and no API discovery, until the resource's CRD is stored; and
 * to page a LIST that asks for it ({@code limit}, then {@code continue} from {@code metadata.continue}), which the
 * CRUD mode ignores. Every LIST is recorded ({@link #lists()}).
 */
public final class CrdAwareDispatcher extends KubernetesCrudDispatcher {

    /** group/version, then plural to kind and whether it is namespaced. */
    private static final Map<String, Map<String, String>> KINDS = Map.of(
            "velero.io/v1", Map.of("schedules", "Schedule", "backups", "Backup", "restores", "Restore",
                    "backupstoragelocations", "BackupStorageLocation"),
            "wgpolicyk8s.io/v1alpha2", Map.of("policyreports", "PolicyReport", "clusterpolicyreports",
                    "ClusterPolicyReport"),
            "openreports.io/v1alpha1", Map.of("reports", "Report", "clusterreports", "ClusterReport"));

    /** The LIST requests served, path and query, in order. */
    private final java.util.Queue<String> lists = new java.util.concurrent.ConcurrentLinkedQueue<>();

    /** Paths (without query) answered with a status instead: see {@link #refuse}. */
    private final java.util.Map<String, Integer> refused = new java.util.concurrent.ConcurrentHashMap<>();

    /** A started mock API server with this dispatcher. */
    public static io.fabric8.kubernetes.client.server.mock.KubernetesMockServer server() {
        return server(new CrdAwareDispatcher());
    }

    public static io.fabric8.kubernetes.client.server.mock.KubernetesMockServer server(CrdAwareDispatcher dispatcher) {
        var server = new io.fabric8.kubernetes.client.server.mock.KubernetesMockServer(new io.fabric8.mockwebserver.Context(),
                new io.fabric8.mockwebserver.MockWebServer(), new java.util.HashMap<>(), dispatcher, false);
        server.init();
        return server;
    }

    /**
     * Answers requests to {@code path} (e.g. /api/v1/pods) with {@code status} from now on: 403 as RBAC would, 404 as
     * an API server that does not serve the resource.
     */
    public CrdAwareDispatcher refuse(String path, int status) {
        refused.put(path, status);
        return this;
    }

    /** Answers {@code path} as before {@link #refuse} again (RBAC granted, the list no longer slow). */
    public CrdAwareDispatcher allow(String path) {
        refused.remove(path);
        return this;
    }

    /** Installs CRDs from the test resources' crds/ folder (copies of ../shared/crds), e.g. "velero/velero.io_backups". */
    public static void install(io.fabric8.kubernetes.client.KubernetesClient kube, String... files) {
        for (String file : files) {
            try (java.io.InputStream in = CrdAwareDispatcher.class.getResourceAsStream("/crds/" + file + ".yaml")) {
                kube.resource(new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readValue(in,
                        io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition.class)).create();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String path = request.getPath().replaceFirst("\\?.*", "");
        Integer status = refused.get(path);
        if (status != null) {
            return new MockResponse().setResponseCode(status).setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\","
                    + "\"status\":\"Failure\",\"code\":" + status + ",\"message\":\"refused by the test\"}");
        }
        for (var group : KINDS.entrySet()) {
            String prefix = "/apis/" + group.getKey();
            if (path.equals(prefix)) {
                return discovery(group.getKey(), group.getValue());
            }
            if (path.startsWith(prefix + "/")) {
                String[] parts = path.substring(prefix.length() + 1).split("/");
                String plural = parts.length >= 3 && parts[0].equals("namespaces") ? parts[2] : parts[0];
                if (!installed(plural, group.getKey())) {
                    return notFound();
                }
            }
        }
        MockResponse response = super.dispatch(request);
        if (request.method() == io.fabric8.mockwebserver.dsl.HttpMethod.GET && !request.getPath().contains("watch=true")
                && response.code() == 200) {
            return page(request.getPath(), response);
        }
        return response;
    }

    /** The LIST requests served so far (path and query, e.g. /api/v1/pods?limit=500). */
    public java.util.List<String> lists() {
        return java.util.List.copyOf(lists);
    }

    /** A list response cut to the page asked for: items from the offset in continue, at most limit of them. */
    private MockResponse page(String pathAndQuery, MockResponse full) {
        com.fasterxml.jackson.databind.JsonNode body;
        try {
            body = dev.haguard.json.Json.MAPPER.readTree(full.getBody().getBytes());
        } catch (java.io.IOException e) {
            return full;
        }
        if (!body.path("items").isArray()) {
            return full;
        }
        lists.add(pathAndQuery);
        java.util.Map<String, String> query = new java.util.HashMap<>();
        int q = pathAndQuery.indexOf('?');
        if (q >= 0) {
            for (String pair : pathAndQuery.substring(q + 1).split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    query.put(pair.substring(0, eq), java.net.URLDecoder.decode(pair.substring(eq + 1),
                            java.nio.charset.StandardCharsets.UTF_8));
                }
            }
        }
        if (!query.containsKey("limit")) {
            return full;
        }
        int limit = Integer.parseInt(query.get("limit"));
        int from = query.containsKey("continue") ? Integer.parseInt(query.get("continue")) : 0;
        com.fasterxml.jackson.databind.node.ArrayNode items = (com.fasterxml.jackson.databind.node.ArrayNode) body
                .path("items");
        com.fasterxml.jackson.databind.node.ArrayNode page = items.arrayNode();
        for (int i = from; i < Math.min(items.size(), from + limit); i++) {
            page.add(items.get(i));
        }
        com.fasterxml.jackson.databind.node.ObjectNode out = ((com.fasterxml.jackson.databind.node.ObjectNode) body)
                .deepCopy();
        out.set("items", page);
        com.fasterxml.jackson.databind.node.ObjectNode meta = out.path("metadata")
                instanceof com.fasterxml.jackson.databind.node.ObjectNode m ? m : out.putObject("metadata");
        if (from + limit < items.size()) {
            meta.put("continue", Integer.toString(from + limit)).put("remainingItemCount", items.size() - from - limit);
        } else {
            meta.remove("continue");
        }
        return new MockResponse().setResponseCode(200).setBody(out.toString());
    }

    private MockResponse discovery(String groupVersion, Map<String, String> kinds) {
        StringBuilder served = new StringBuilder();
        for (var kind : kinds.entrySet()) {
            if (installed(kind.getKey(), groupVersion)) {
                served.append(served.isEmpty() ? "" : ",").append("{\"name\":\"").append(kind.getKey())
                        .append("\",\"namespaced\":").append(!kind.getValue().startsWith("Cluster"))
                        .append(",\"kind\":\"").append(kind.getValue()).append("\",")
                        .append("\"verbs\":[\"create\",\"delete\",\"get\",\"list\",\"patch\",\"update\",\"watch\"]}");
            }
        }
        return served.isEmpty() ? notFound() : new MockResponse().setResponseCode(200).setBody("{\"kind\":"
                + "\"APIResourceList\",\"apiVersion\":\"v1\",\"groupVersion\":\"" + groupVersion + "\",\"resources\":["
                + served + "]}");
    }

    private boolean installed(String plural, String groupVersion) {
        String group = groupVersion.substring(0, groupVersion.indexOf('/'));
        return handleGet("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/" + plural + "." + group).code() == 200;
    }

    private static MockResponse notFound() {
        return new MockResponse().setResponseCode(404).setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":"
                + "\"Failure\",\"reason\":\"NotFound\",\"code\":404,\"message\":\"the server could not find the "
                + "requested resource\"}");
    }
}

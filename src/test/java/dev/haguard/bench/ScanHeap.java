package dev.haguard.bench;

import dev.haguard.cluster.ClusterCache;
import dev.haguard.cluster.ScanSources;
import dev.haguard.engine.ClusterView;
import dev.haguard.policy.Policy;
import dev.haguard.rules.StandardRules;
import dev.haguard.scan.Scan;
import dev.haguard.scan.ScanReport;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The server's background scan and admission caches at cluster sizes, in one process against the fabric8 mock API
 * server (bench/scan-heap.sh runs it). A cluster shaped like bench/scan_dump.py's (a Deployment and its ReplicaSet per
 * 5 pods, a node per 100, a budget per 4 Deployments, 20 namespaces) is loaded; then the heap after a full GC with the
 * admission caches filled, then before and after the scan's informers hold it, and the most it held after any
 * full collection while a scan ran. The mock server's own copy is in each baseline, so the deltas are ha-guard's. Prints
 * one Markdown row per size.
 */
public final class ScanHeap {

    private ScanHeap() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("--serve")) {
            serve(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
            return;
        }
        System.out.println("| pods | objects | informers' heap MB | bytes per pod | of which kept JSON MB | scan s | "
                + "its result MB | live heap at its highest during the scan, informers included, MB | admission caches' heap MB |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (String arg : args) {
            measure(Integer.parseInt(arg));
        }
        System.exit(0); // the mock server's and the informers' threads would keep the JVM up
    }

    private static void measure(int pods) throws Exception {
        StaticCluster cluster = new StaticCluster();
        int objects = load(cluster, pods);
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                cluster, false);
        server.init();
        try (KubernetesClient kube = server.createClient()) {
            long base = usedAfterGc();
            Policy policy = StandardRules.DEFAULT.parser().packagedDefault();
            long held;
            double seconds;
            long peak;
            long kept;
            long result;
            try (ScanSources sources = ScanSources.start(kube, StandardRules.DEFAULT.listed())) {
                sources.synced().toCompletableFuture().get(10, TimeUnit.MINUTES);
                held = usedAfterGc() - base;
                kept = sources.bytes();
                long start = System.nanoTime();
                ScanReport report = Scan.of(sources, StandardRules.DEFAULT, policy, Instant.now(), false);
                seconds = (System.nanoTime() - start) / 1e9;
                if (report.findings().isEmpty()) {
                    throw new IllegalStateException("a scan of " + pods + " pods found nothing");
                }
                long withReport = usedAfterGc();
                report = null;
                result = withReport - usedAfterGc();
                // Again, for what it holds: a full collection every 100 ms while it runs, the most left after any.
                peak = liveDuring(() -> Scan.of(sources, StandardRules.DEFAULT, policy, Instant.now(), false)) - base;
            }
            Thread.sleep(1_000); // the informers' threads let go of what they held
            long cachesBase = usedAfterGc();
            long caches;
            try (ClusterCache cache = ClusterCache.start(kube, EnumSet.allOf(ClusterView.Need.class))) {
                cache.synced().toCompletableFuture().get(10, TimeUnit.MINUTES);
                Thread.sleep(2_000); // the workload index fills from the informers' events
                caches = usedAfterGc() - cachesBase;
            }
            System.out.printf(Locale.ROOT, "| %,d | %,d | %.0f | %,d | %.0f | %.1f | %.0f | %.0f | %.0f |%n",
                    pods, objects, held / 1e6, held / pods, kept / 1e6, seconds, result / 1e6, peak / 1e6, caches / 1e6);
        } finally {
            server.destroy();
        }
    }

    /**
     * Serves a cluster of {@code pods} on {@code port} until killed, for a packaged server to scan
     * (bench/scan-rss.sh): prints "serving N objects" once it answers.
     */
    private static void serve(int pods, int port) throws Exception {
        StaticCluster cluster = new StaticCluster();
        int objects = load(cluster, pods);
        MockWebServer web = new MockWebServer();
        web.setDispatcher(cluster);
        web.start(port);
        System.out.println("serving " + objects + " objects on port " + port);
        Thread.currentThread().join();
    }

    /** The cluster, served as it is from then on; how many objects. */
    private static int load(StaticCluster cluster, int pods) {
        int workloads = Math.max(1, pods / 5);
        int nodes = Math.max(1, pods / 100);
        List<HasMetadata> all = new ArrayList<>();
        for (int n = 0; n < nodes; n++) {
            all.add(new NodeBuilder().withNewMetadata().withName("node-" + n)
                    .addToLabels("kubernetes.io/hostname", "node-" + n)
                    .addToLabels("topology.kubernetes.io/zone", "zone-" + "abc".charAt(n % 3)).endMetadata()
                    .withNewStatus().addToAllocatable("cpu", new Quantity("16")).addToAllocatable("memory",
                    new Quantity("64Gi")).addToAllocatable("pods", new Quantity("110")).endStatus().build());
        }
        for (int w = 0; w < workloads; w++) {
            String ns = "team-" + w % 20;
            String app = "app-" + w;
            all.add(new DeploymentBuilder().withNewMetadata().withName(app).withNamespace(ns).withUid("d-" + w)
                    .endMetadata().withNewSpec().withReplicas(1 + w % 5).withNewSelector().addToMatchLabels("app", app)
                    .endSelector().withNewTemplate().withNewMetadata().addToLabels("app", app).endMetadata()
                    .withNewSpec().addNewContainer().withName("c").withImage("registry.example/" + app + ":1." + w % 9)
                    .endContainer().endSpec().endTemplate().endSpec().build());
            all.add(new ReplicaSetBuilder().withNewMetadata().withName(app + "-1").withNamespace(ns).withUid("rs-" + w)
                    .addNewOwnerReference().withApiVersion("apps/v1").withKind("Deployment").withName(app)
                    .withUid("d-" + w).withController(true).endOwnerReference().endMetadata().withNewSpec()
                    .withReplicas(5).endSpec().build());
            for (int p = 0; p < 5 && w * 5 + p < pods; p++) {
                all.add(new PodBuilder().withNewMetadata().withName(app + "-" + p).withNamespace(ns)
                        .addToLabels("app", app).addNewOwnerReference().withApiVersion("apps/v1")
                        .withKind("ReplicaSet").withName(app + "-1").withUid("rs-" + w).withController(true)
                        .endOwnerReference().endMetadata().withNewSpec().withNodeName("node-" + (w * 7 + p) % nodes)
                        .addNewContainer().withName("c").withImage("registry.example/" + app + ":1.0")
                        .withNewResources().addToRequests("cpu", new Quantity("100m"))
                        .addToRequests("memory", new Quantity("128Mi")).endResources().endContainer()
                        // What the API server's DefaultTolerationSeconds plug-in adds to every pod.
                        .addNewToleration().withKey("node.kubernetes.io/not-ready").withOperator("Exists")
                        .withEffect("NoExecute").withTolerationSeconds(300L).endToleration()
                        .addNewToleration().withKey("node.kubernetes.io/unreachable").withOperator("Exists")
                        .withEffect("NoExecute").withTolerationSeconds(300L).endToleration()
                        .endSpec().withNewStatus().withPhase("Running").addNewCondition().withType("Ready")
                        .withStatus("True").endCondition().endStatus().build());
            }
            if (w % 4 == 0) {
                all.add(new PodDisruptionBudgetBuilder().withNewMetadata().withName(app).withNamespace(ns).endMetadata()
                        .withNewSpec().withNewMaxUnavailable(w % 2).withNewSelector().addToMatchLabels("app", app)
                        .endSelector().endSpec().build());
            }
        }
        all.forEach(cluster::add);
        return all.size();
    }

    /**
     * An API server whose objects never change: LISTs in pages (limit, continue) of what was added, API discovery of
     * Velero's group answered 404, and WATCHes held open without an event. Loading 75,000 objects into the CRUD mock
     * takes tens of minutes (each create costs more than the last); this serves 150,000 pods at once.
     */
    private static final class StaticCluster extends Dispatcher {

        private static final Map<String, String[]> RESOURCES = Map.of("Pod", new String[] {"/api/v1/pods", "v1"},
                "Node", new String[] {"/api/v1/nodes", "v1"},
                "Deployment", new String[] {"/apis/apps/v1/deployments", "apps/v1"},
                "ReplicaSet", new String[] {"/apis/apps/v1/replicasets", "apps/v1"},
                "PodDisruptionBudget", new String[] {"/apis/policy/v1/poddisruptionbudgets", "policy/v1"});
        private final KubernetesSerialization json = new KubernetesSerialization();
        private final Map<String, List<String>> items = new HashMap<>();
        private final Map<String, String> kinds = new HashMap<>();

        void add(HasMetadata o) {
            String[] resource = RESOURCES.get(o.getKind());
            items.computeIfAbsent(resource[0], r -> new ArrayList<>()).add(json.asJson(o));
            kinds.put(resource[0], o.getKind() + "List\",\"apiVersion\":\"" + resource[1]);
        }

        private final Map<String, String> stored = new java.util.concurrent.ConcurrentHashMap<>();
        private final java.util.concurrent.atomic.AtomicLong version = new java.util.concurrent.atomic.AtomicLong();
        private static final String REPORTS = "/apis/wgpolicyk8s.io/v1alpha2";

        /**
         * What the server writes: the scan leader's Lease and the scan's PolicyReports, read, listed, created (409 when
         * it exists), replaced and deleted as the API server would, resourceVersion counted. Each write is a line of
         * the mock's log, which bench/scan-rss.sh counts.
         */
        private MockResponse written(RecordedRequest request, String path) {
            String method = request.getMethod();
            if (method.equals("GET")) {
                if (path.equals(REPORTS)) {
                    return new MockResponse().setResponseCode(200).setBody("{\"kind\":\"APIResourceList\","
                            + "\"groupVersion\":\"wgpolicyk8s.io/v1alpha2\",\"resources\":["
                            + "{\"name\":\"policyreports\",\"namespaced\":true,\"kind\":\"PolicyReport\","
                            + "\"verbs\":[\"get\",\"list\",\"create\",\"update\",\"delete\"]},"
                            + "{\"name\":\"clusterpolicyreports\",\"namespaced\":false,\"kind\":\"ClusterPolicyReport\","
                            + "\"verbs\":[\"get\",\"list\",\"create\",\"update\",\"delete\"]}]}");
                }
                String one = stored.get(path);
                if (one != null) {
                    return new MockResponse().setResponseCode(200).setBody(one);
                }
                if (path.endsWith("reports")) {
                    String kind = path.endsWith("clusterpolicyreports") ? "ClusterPolicyReport" : "PolicyReport";
                    String items = String.join(",", stored.entrySet().stream().filter(e -> e.getKey().startsWith(REPORTS)
                            && e.getKey().contains("/" + path.substring(path.lastIndexOf('/') + 1) + "/"))
                            .map(Map.Entry::getValue).toList());
                    return new MockResponse().setResponseCode(200).setBody("{\"kind\":\"" + kind + "List\","
                            + "\"apiVersion\":\"wgpolicyk8s.io/v1alpha2\",\"metadata\":{\"resourceVersion\":\""
                            + version.get() + "\"},\"items\":[" + items + "]}");
                }
                return new MockResponse().setResponseCode(404).setBody("{\"kind\":\"Status\",\"code\":404}");
            }
            if (method.equals("DELETE")) {
                return stored.remove(path) == null
                        ? new MockResponse().setResponseCode(404).setBody("{\"kind\":\"Status\",\"code\":404}")
                        : new MockResponse().setResponseCode(200).setBody("{\"kind\":\"Status\",\"status\":\"Success\"}");
            }
            var body = (com.fasterxml.jackson.databind.node.ObjectNode) json.unmarshal(request.getUtf8Body(),
                    com.fasterxml.jackson.databind.JsonNode.class);
            String key = method.equals("POST") ? path + "/" + body.path("metadata").path("name").asText() : path;
            if (method.equals("POST") && stored.containsKey(key)) {
                return new MockResponse().setResponseCode(409).setBody("{\"kind\":\"Status\",\"code\":409,"
                        + "\"reason\":\"AlreadyExists\"}");
            }
            ((com.fasterxml.jackson.databind.node.ObjectNode) body.path("metadata")).put("resourceVersion",
                    String.valueOf(version.incrementAndGet()));
            stored.put(key, body.toString());
            return new MockResponse().setResponseCode(method.equals("POST") ? 201 : 200).setBody(body.toString());
        }

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            String[] pathAndQuery = request.getPath().split("\\?", 2);
            String query = pathAndQuery.length > 1 ? pathAndQuery[1] : "";
            if (query.contains("watch=true")) {
                // A WebSocket watch (fabric8's first choice) held open without an event, as a real one is between
                // changes. (A plain response either ends at once, which the informer takes for a failure and lists
                // again, or sends no headers until its body.)
                return new MockResponse().withWebSocketUpgrade(new io.fabric8.mockwebserver.http.WebSocketListener() {
                });
            }
            if (pathAndQuery[0].startsWith("/apis/coordination.k8s.io/") || pathAndQuery[0].startsWith(REPORTS)) {
                return written(request, pathAndQuery[0]);
            }
            if (pathAndQuery[0].startsWith("/apis/velero.io") || pathAndQuery[0].startsWith("/apis/wgpolicyk8s.io")) {
                return new MockResponse().setResponseCode(404).setBody("{\"kind\":\"Status\",\"code\":404}");
            }
            List<String> all = items.getOrDefault(pathAndQuery[0], List.of());
            int limit = Integer.MAX_VALUE;
            int from = 0;
            for (String pair : query.split("&")) {
                if (pair.startsWith("limit=")) {
                    limit = Integer.parseInt(pair.substring(6));
                } else if (pair.startsWith("continue=")) {
                    from = Integer.parseInt(pair.substring(9));
                }
            }
            int to = (int) Math.min(all.size(), (long) from + limit);
            StringBuilder body = new StringBuilder("{\"kind\":\"").append(kinds.getOrDefault(pathAndQuery[0],
                    "List\",\"apiVersion\":\"v1")).append("\",\"metadata\":{\"resourceVersion\":\"1\"");
            if (to < all.size()) {
                body.append(",\"continue\":\"").append(to).append('"');
            }
            body.append("},\"items\":[").append(String.join(",", all.subList(from, to))).append("]}");
            return new MockResponse().setResponseCode(200).setBody(body.toString());
        }
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /**
     * The most the heap held after a full collection while {@code work} ran: collections every 100 ms. (After young
     * collections alone, the old generation's garbage would count.)
     */
    private static long liveDuring(Runnable work) throws Exception {
        Thread worker = new Thread(work);
        worker.start();
        long most = 0;
        while (worker.isAlive()) {
            System.gc();
            most = Math.max(most, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
            worker.join(100);
        }
        return most;
    }
}

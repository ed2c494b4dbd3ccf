package dev.haguard.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haguard.scan.ScanFinding;
import dev.haguard.scan.ScanReport;
import dev.haguard.scan.Severity;
import dev.haguard.json.Json;
import dev.haguard.json.Sha256;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * A scan's findings as policy reports: one namespaced report per namespace with judged objects, named
 * {@value #NAME}, and one cluster report for what belongs to no namespace; each holds one result per finding, at most
 * {@value #MAX_RESULTS} (a report is an etcd object: kept far below 1 MiB), with a complete summary and the count left
 * out in an annotation. A report is written only when its results changed, and ha-guard's reports that no longer
 * match a namespace with objects are deleted. Without the reports' CRD, it says so once and writes nothing.
 */
public final class PolicyReports {

    private static final Logger LOG = Logger.getLogger(PolicyReports.class);
    static final String NAME = "ha-guard";
    static final int MAX_RESULTS = 500;
    static final String OMITTED = "haguard.dev/results-omitted";
    static final Map<String, String> LABELS = Map.of("app.kubernetes.io/managed-by", "ha-guard");

    /** Which report API to write: wgpolicyk8s.io's PolicyReport, or its successor openreports.io's Report. */
    public enum Api {
        POLICYREPORT("wgpolicyk8s.io", "v1alpha2", "PolicyReport", "policyreports", "ClusterPolicyReport",
                "clusterpolicyreports"),
        OPENREPORTS("openreports.io", "v1alpha1", "Report", "reports", "ClusterReport", "clusterreports");

        final ResourceDefinitionContext namespaced;
        final ResourceDefinitionContext cluster;

        Api(String group, String version, String kind, String plural, String clusterKind, String clusterPlural) {
            namespaced = new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withKind(kind)
                    .withPlural(plural).withNamespaced(true).build();
            cluster = new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version)
                    .withKind(clusterKind).withPlural(clusterPlural).withNamespaced(false).build();
        }

        public static Api of(String setting) {
            return switch (setting.toLowerCase(Locale.ROOT)) {
                case "policyreport", "wgpolicyk8s.io" -> POLICYREPORT;
                case "openreports", "openreports.io" -> OPENREPORTS;
                default -> throw new IllegalArgumentException("haguard.scan.report-api is \"" + setting
                        + "\": expected policyreport (wgpolicyk8s.io/v1alpha2) or openreports (openreports.io/v1alpha1)");
            };
        }

        String apiVersion() {
            return namespaced.getGroup() + "/" + namespaced.getVersion();
        }
    }

    private final KubernetesClient client;
    private final Api api;
    /** Namespace ("" for the cluster report) to the digest of what was last written there. */
    private final Map<String, String> written = new HashMap<>();
    private boolean adopted;
    private boolean saidMissing;

    public PolicyReports(KubernetesClient client, Api api) {
        this.client = client;
        this.api = api;
    }

    /** The reports for {@code result}: namespace to report, "" for the cluster report. */
    static Map<String, GenericKubernetesResource> build(ScanReport result, Api api) {
        Map<String, List<ScanFinding>> byNamespace = new TreeMap<>();
        result.objects().keySet().forEach(ns -> byNamespace.put(ns, new java.util.ArrayList<>()));
        byNamespace.put("", new java.util.ArrayList<>());
        for (ScanFinding f : result.findings()) {
            byNamespace.computeIfAbsent(f.namespace(), n -> new java.util.ArrayList<>()).add(f);
        }
        Map<String, GenericKubernetesResource> reports = new TreeMap<>();
        byNamespace.forEach((ns, findings) -> reports.put(ns, report(ns, findings, result, api)));
        return reports;
    }

    private static GenericKubernetesResource report(String ns, List<ScanFinding> findings, ScanReport result, Api api) {
        ObjectNode report = Json.MAPPER.createObjectNode();
        report.put("apiVersion", api.apiVersion()).put("kind", ns.isEmpty() ? api.cluster.getKind()
                : api.namespaced.getKind());
        ObjectNode meta = report.putObject("metadata").put("name", NAME);
        if (!ns.isEmpty()) {
            meta.put("namespace", ns);
        }
        ObjectNode labels = meta.putObject("labels");
        LABELS.forEach(labels::put);
        if (api == Api.OPENREPORTS) {
            report.put("source", "ha-guard");
        }
        ArrayNode results = report.putArray("results");
        int fail = 0;
        int warn = 0;
        for (ScanFinding f : findings) {
            boolean failing = f.severity() == Severity.high;
            if (failing) {
                fail++;
            } else {
                warn++;
            }
            if (results.size() < MAX_RESULTS) {
                results.add(result(f, failing, result));
            }
        }
        int omitted = findings.size() - results.size();
        meta.putObject("annotations").put(OMITTED, String.valueOf(omitted));
        int objects = result.objects().getOrDefault(ns, 0);
        long dirty = findings.stream().filter(f -> !f.name().isEmpty()).map(f -> f.kind() + "/" + f.name()).distinct()
                .count();
        report.putObject("summary").put("pass", Math.max(0, objects - (int) dirty)).put("fail", fail).put("warn", warn)
                .put("error", 0).put("skip", 0);
        return Json.MAPPER.convertValue(report, GenericKubernetesResource.class);
    }

    private static ObjectNode result(ScanFinding f, boolean failing, ScanReport scan) {
        ObjectNode r = Json.MAPPER.createObjectNode().put("source", "ha-guard").put("policy", f.rule())
                .put("category", category(f.rule())).put("severity", f.severity().name()).put("result", failing ? "fail" : "warn")
                .put("scored", true).put("message", f.message());
        r.putObject("timestamp").put("seconds", scan.at().getEpochSecond()).put("nanos", 0);
        if (!f.name().isEmpty()) {
            ObjectNode ref = r.putArray("resources").addObject().put("apiVersion", f.apiVersion()).put("kind", f.kind())
                    .put("name", f.name());
            if (!f.namespace().isEmpty() && !f.kind().equals("Namespace")) {
                ref.put("namespace", f.namespace());
            }
            if (!f.uid().isEmpty()) {
                ref.put("uid", f.uid());
            }
        }
        r.putObject("properties").put("object", f.object());
        return r;
    }

    private static String category(String rule) {
        return switch (rule) {
            case "backups" -> "Disaster recovery";
            case "imageReferences", "immutableObjects", "immutablePods" -> "Immutable infrastructure";
            case "apiVersion" -> "API versions";
            default -> "High availability";
        };
    }

    /** Writes what changed since the last write, deletes ha-guard's reports no namespace asks for any more. */
    public void write(ScanReport result) {
        if (!served()) {
            return;
        }
        if (!adopted) {
            adopt();
        }
        Map<String, GenericKubernetesResource> reports = build(result, api);
        int changed = 0;
        for (var e : reports.entrySet()) {
            String digest = digest(e.getValue());
            if (digest.equals(written.get(e.getKey()))) {
                continue;
            }
            try {
                resource(e.getKey()).resource(e.getValue()).createOr(NonDeletingOperation::update);
                written.put(e.getKey(), digest);
                changed++;
            } catch (KubernetesClientException ex) {
                // A namespace deleted since the scan, or a report refused: tried again at the next scan.
                LOG.debugf("report for %s not written: %s", e.getKey().isEmpty() ? "the cluster" : e.getKey(),
                        ex.getMessage());
                written.remove(e.getKey());
            }
        }
        int deleted = 0;
        for (String ns : List.copyOf(written.keySet())) {
            if (!reports.containsKey(ns)) {
                resource(ns).withName(NAME).delete();
                written.remove(ns);
                deleted++;
            }
        }
        LOG.debugf("reports: %d written, %d deleted, %d unchanged", changed, deleted, reports.size() - changed);
    }

    /** After a change of leader: the reports a previous leader wrote, to replace or delete. */
    private void adopt() {
        client.genericKubernetesResources(api.namespaced).inAnyNamespace().withLabels(LABELS).list().getItems()
                .forEach(r -> written.put(r.getMetadata().getNamespace(), "adopted"));
        if (client.genericKubernetesResources(api.cluster).withName(NAME).get() != null) {
            written.put("", "adopted");
        }
        adopted = true;
    }

    /** Forgets what was written: a new leader adopts what it finds. */
    public void reset() {
        written.clear();
        adopted = false;
    }

    private io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<GenericKubernetesResource,
            io.fabric8.kubernetes.api.model.GenericKubernetesResourceList,
            io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource>> resource(String ns) {
        return ns.isEmpty() ? client.genericKubernetesResources(api.cluster)
                : client.genericKubernetesResources(api.namespaced).inNamespace(ns);
    }

    private boolean served() {
        try {
            APIResourceList list = client.getApiResources(api.apiVersion());
            boolean served = list != null && list.getResources().stream()
                    .anyMatch(r -> r.getName().equals(api.namespaced.getPlural()));
            if (!served && !saidMissing) {
                LOG.infof("%s is not served (its CRD is not installed): the scan writes no reports until it is; "
                        + "deploy/components/policy-reports installs it", api.apiVersion() + " " + api.namespaced.getKind());
                saidMissing = true;
            }
            if (served) {
                saidMissing = false;
            }
            return served;
        } catch (KubernetesClientException e) {
            LOG.debugf("API discovery of %s failed: %s", api.apiVersion(), e.getMessage());
            return false;
        }
    }

    private static String digest(GenericKubernetesResource report) {
        JsonNode tree = Json.tree(report).deepCopy();
        for (JsonNode r : tree.path("results")) {
            ((ObjectNode) r).remove("timestamp");
        }
        return Sha256.hex(tree.toString());
    }
}

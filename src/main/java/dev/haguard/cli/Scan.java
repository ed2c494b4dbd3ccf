package dev.haguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haguard.policy.Policy;
import dev.haguard.rules.StandardRules;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The scan for a caller that holds the objects itself (the server's background scan, from its informers): the same
 * judgement as {@code ha-guard scan}, with each finding pointing at its object as a report needs.
 */
public final class Scan {

    /**
     * One finding. {@code apiVersion}, {@code kind}, {@code name} and {@code uid} name the object, empty when the
     * finding is about no one object (a namespace as a whole, the cluster); {@code namespace} is "" for the cluster;
     * {@code check} tells apart exposures that alerts watch (one-zone, one-node, drain-blocking,
     * single-zone-cluster), "" for the others.
     */
    public record Finding(String namespace, String apiVersion, String kind, String name, String uid, String object,
            String rule, String severity, String message, String check) {
    }

    /**
     * What one scan found.
     *
     * @param objects judged objects per namespace
     * @param scores DR readiness per namespace, 0 to 100
     * @param json the result as {@code ha-guard scan -o json} prints it
     */
    public record Result(Instant at, List<Finding> findings, Map<String, Integer> objects, Map<String, Integer> scores,
            int clusterScore, ObjectNode json) {
    }

    private Scan() {
    }

    /** {@code veleroInstalled}: whether the cluster serves Velero's Schedules. */
    public static Result of(List<? extends HasMetadata> objects, StandardRules standard, Policy policy, Instant now,
            boolean veleroInstalled) {
        List<Manifests.Document> docs = new ArrayList<>(objects.size());
        Map<String, JsonNode> byName = new HashMap<>();
        for (HasMetadata o : objects) {
            Manifests.Document doc = LiveCluster.document(o);
            docs.add(doc);
            byName.put(key(o.getMetadata().getNamespace(), o.getKind(), o.getMetadata().getName()), doc.content());
        }
        ScanCommand.Report report;
        try {
            report = ScanCommand.judge(docs, standard, policy, now, veleroInstalled, List.of(), note -> { });
        } catch (Manifests.UnusableInput e) { // objects from a cluster always have a kind: not expected here
            throw new IllegalStateException(e.getMessage(), e);
        }
        List<Finding> findings = new ArrayList<>();
        for (ScanCommand.Found f : report.findings()) {
            String ns = f.namespace().equals("(cluster)") ? "" : f.namespace();
            int space = f.object().indexOf(' ');
            String kind = space < 0 ? f.object() : f.object().substring(0, space);
            String name = space < 0 ? "" : f.object().substring(space + 1);
            JsonNode object = byName.get(key(ns, kind, name));
            if (object == null && kind.equals("Namespace")) {
                object = byName.get(key("", kind, name));
            }
            findings.add(new Finding(ns, object == null ? "" : object.path("apiVersion").asText(),
                    object == null ? "" : kind, object == null ? "" : name,
                    object == null ? "" : object.path("metadata").path("uid").asText(""), f.object(), f.rule(),
                    f.severity().name(), f.message(), f.check()));
        }
        Map<String, Integer> scores = new HashMap<>();
        report.objects().forEach((ns, n) -> scores.put(ns, ScanCommand.Report.score(report.clean().getOrDefault(ns, 0),
                n)));
        int total = report.objects().values().stream().mapToInt(Integer::intValue).sum();
        int clean = report.clean().values().stream().mapToInt(Integer::intValue).sum();
        return new Result(now, List.copyOf(findings), Map.copyOf(report.objects()), Map.copyOf(scores),
                ScanCommand.Report.score(clean, total), report.json());
    }

    private static String key(String namespace, String kind, String name) {
        return (namespace == null ? "" : namespace) + "/" + kind + "/" + name;
    }
}

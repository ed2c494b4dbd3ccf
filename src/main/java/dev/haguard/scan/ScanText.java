package dev.haguard.scan;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haguard.engine.Measure;
import dev.haguard.json.Json;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** A scan report as {@code ha-guard scan} prints it: text for people, JSON for tools and the server's /q/scan. */
public final class ScanText {

    private ScanText() {
    }

    public static void print(ScanReport report, PrintStream out) {
        for (ScanFinding f : report.in("")) {
            out.printf("(cluster): %s %s%n%n", f.severity().name().toUpperCase(Locale.ROOT), f.message());
        }
        for (String ns : report.objects().keySet()) {
            int clean = report.clean().getOrDefault(ns, 0);
            int objects = report.objects().get(ns);
            out.printf("%s: DR readiness %d/100 (%d of %d objects without a warning or denial)%n", ns,
                    ScanReport.score(clean, objects), clean, objects);
            for (ScanFinding f : report.in(ns)) {
                out.printf("  %-6s %-18s %-34s %s%n", f.severity().name().toUpperCase(Locale.ROOT), f.rule(),
                        f.object(), f.message());
            }
            out.println();
        }
        int total = report.objects().values().stream().mapToInt(Integer::intValue).sum();
        Map<Severity, Long> counts = new TreeMap<>();
        report.findings().forEach(f -> counts.merge(f.severity(), 1L, Long::sum));
        out.printf("cluster: DR readiness %d/100; %d objects in %d namespace(s); findings: %d high, %d medium, %d low%n",
                report.clusterScore(), total, report.objects().size(), counts.getOrDefault(Severity.high, 0L),
                counts.getOrDefault(Severity.medium, 0L), counts.getOrDefault(Severity.low, 0L));
        if (!report.notJudged().isEmpty()) {
            out.println("not judged: " + new TreeMap<>(report.notJudged()).entrySet().stream()
                    .map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", ")));
        }
        if (!report.failed().isEmpty()) {
            out.printf("%nwhat if %s failed now: %s%n", String.join(" and ", report.failed()), report.whatIf().isEmpty()
                    ? "no workload loses a ready replica or a volume"
                    : report.whatIf().size() + " finding(s), most severe first");
            for (ScanFinding f : report.whatIf()) {
                out.printf("  %-6s %-34s %s%n", f.severity().name().toUpperCase(Locale.ROOT), f.namespace().isEmpty()
                        && f.name().isEmpty() ? "(cluster)" : f.namespace() + "/" + f.kind() + "/" + f.name(),
                        f.message());
            }
        }
    }

    /**
     * {@code {"namespaces": [{"name", "score", "objects", "clean", "findings": [{"object", "rule", "severity",
     * "message", "check"}], "measures": [{"name", labels..., "seconds"}]}], "cluster": {"score", "objects", "clean",
     * "findings"}, "notJudged": {...}, "whatIf": {...}}}; "check" only where a finding has one, "measures" where a
     * rule measured the namespace.
     */
    public static ObjectNode json(ScanReport report) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ArrayNode namespaces = root.putArray("namespaces");
        for (String ns : report.objects().keySet()) {
            int n = report.objects().get(ns);
            int c = report.clean().getOrDefault(ns, 0);
            ObjectNode one = namespaces.addObject().put("name", ns).put("score", ScanReport.score(c, n))
                    .put("objects", n).put("clean", c);
            ArrayNode findings = one.putArray("findings");
            report.in(ns).forEach(f -> finding(findings, f));
            List<Measure> measured = report.measures().stream().filter(m -> m.namespace().equals(ns)).toList();
            if (!measured.isEmpty()) {
                ArrayNode measures = one.putArray("measures");
                measured.forEach(m -> measure(measures, m, report.at()));
            }
        }
        int total = report.objects().values().stream().mapToInt(Integer::intValue).sum();
        int clean = report.clean().values().stream().mapToInt(Integer::intValue).sum();
        ObjectNode cluster = root.putObject("cluster").put("score", report.clusterScore()).put("objects", total)
                .put("clean", clean);
        ArrayNode clusterFindings = cluster.putArray("findings");
        report.in("").forEach(f -> finding(clusterFindings, f));
        ObjectNode notJudged = root.putObject("notJudged");
        new TreeMap<>(report.notJudged()).forEach(notJudged::put);
        if (!report.failed().isEmpty()) {
            ObjectNode what = root.putObject("whatIf");
            ArrayNode domains = what.putArray("failed");
            report.failed().forEach(domains::add);
            ArrayNode findings = what.putArray("findings");
            report.whatIf().forEach(f -> findings.addObject().put("namespace", f.namespace()).put("object", f.object())
                    .put("severity", f.severity().name()).put("message", f.message()));
        }
        return root;
    }

    /** As the metric is named; an age of what never happened is {@code "never": true} (JSON has no infinity). */
    private static void measure(ArrayNode to, Measure m, java.time.Instant at) {
        ObjectNode one = to.addObject().put("name", m.prometheusName());
        new TreeMap<>(m.labels()).forEach(one::put);
        double seconds = m.seconds(at);
        if (Double.isInfinite(seconds)) {
            one.putNull("seconds").put("never", true);
        } else {
            one.put("seconds", Math.round(seconds));
        }
    }

    private static void finding(ArrayNode to, ScanFinding f) {
        ObjectNode one = to.addObject().put("object", f.object()).put("rule", f.rule())
                .put("severity", f.severity().name()).put("message", f.message());
        if (!f.check().isEmpty()) {
            one.put("check", f.check());
        }
    }
}

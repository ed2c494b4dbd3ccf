package dev.haguard.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.haguard.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The metrics deploy/examples/monitoring names, and those a /q/metrics page exports: what the tests compare. */
final class MonitoringExamples {

    private static final Pattern METRIC = Pattern.compile("haguard_[a-z_]+");

    private MonitoringExamples() {
    }

    /** The metric names a Prometheus text page holds. */
    static Set<String> exported(String page) {
        Set<String> exported = new TreeSet<>();
        Matcher line = Pattern.compile("(?m)^(haguard_[a-z_]+)").matcher(page);
        while (line.find()) {
            exported.add(line.group(1));
        }
        return exported;
    }

    /** The metrics the PrometheusRule's groups that {@code group} accepts (by name) name in their expressions. */
    static Set<String> alerted(Predicate<String> group) throws IOException {
        Set<String> named = new TreeSet<>();
        JsonNode rules = new YAMLMapper().readTree(Files.readString(Path.of(
                "deploy/examples/monitoring/prometheusrule.yaml")));
        for (JsonNode g : rules.path("spec").path("groups")) {
            if (group.test(g.path("name").asText())) {
                g.findValues("expr").forEach(e -> METRIC.matcher(e.asText()).results().forEach(m -> named.add(m.group())));
            }
        }
        return named;
    }

    /** The metrics the Grafana dashboard's panels query. */
    static Set<String> charted() throws IOException {
        Set<String> named = new TreeSet<>();
        JsonNode dashboard = Json.MAPPER.readTree(Path.of("deploy/examples/monitoring/grafana-dashboard.json").toFile());
        dashboard.findValues("expr").forEach(e -> METRIC.matcher(e.asText()).results().forEach(m -> named.add(m.group())));
        return named;
    }

    /** The PrometheusRule group whose metrics need Velero and namespaces with data (RecoveryMetricsTest). */
    static final String RECOVERY = "ha-guard.recovery";

    /** Whether a metric is one of the backups' and drills' gauges, exported only for namespaces with data. */
    static boolean recovery(String metric) {
        return metric.startsWith("haguard_backup_") || metric.startsWith("haguard_drill_");
    }
}

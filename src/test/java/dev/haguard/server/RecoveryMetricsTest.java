package dev.haguard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.haguard.cluster.CrdAwareDispatcher;
import dev.haguard.json.Json;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.RestAssured;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Backup and drill ages per namespace, measured by the running server's background scan from Velero's objects on the
 * mock API server (the CRDs installed before the server starts, as in a cluster with Velero), exported for alerts that
 * compare each namespace with its own objectives; and every metric those alerts name is one the server exports.
 */
@QuarkusTest
@WithKubernetesTestServer(setup = RecoveryMetricsTest.Velero.class)
@TestProfile(RecoveryMetricsTest.Scanning.class)
class RecoveryMetricsTest {

    static final Instant START = Instant.now();

    public static class Scanning implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("haguard.policy.watch", "true", "haguard.policy.configmap.namespace", "ha-guard",
                    "haguard.scan.interval", "1h");
        }
    }

    /**
     * vault: RPO 4h and RTO 30m by its annotations, backed up hourly, the newest Completed Backup an hour old, a
     * newer one Failed; its last drill passed two days ago and took 45m. ledger: data, and nothing backs it up.
     */
    public static class Velero implements Consumer<KubernetesServer> {
        @Override
        public void accept(KubernetesServer server) {
            KubernetesClient kube = server.getClient();
            CrdAwareDispatcher.install(kube, "velero/velero.io_schedules", "velero/velero.io_backups",
                    "velero/velero.io_restores", "velero/velero.io_backupstoragelocations");
            String drill = "{\"time\":\"" + START.minus(Duration.ofDays(2)) + "\",\"backup\":\"hourly-1\","
                    + "\"result\":\"passed\",\"rtoSeconds\":2700}";
            for (String yaml : new String[] {"""
                    apiVersion: v1
                    kind: Namespace
                    metadata:
                      name: vault
                      annotations: {haguard.dev/rpo: 4h, haguard.dev/rto: 30m, haguard.dev/last-drill: '%s'}
                    """.formatted(drill), """
                    apiVersion: v1
                    kind: PersistentVolumeClaim
                    metadata: {name: data, namespace: vault}
                    """, """
                    apiVersion: v1
                    kind: Namespace
                    metadata: {name: ledger}
                    """, """
                    apiVersion: v1
                    kind: PersistentVolumeClaim
                    metadata: {name: books, namespace: ledger}
                    """, """
                    apiVersion: velero.io/v1
                    kind: Schedule
                    metadata: {name: hourly, namespace: velero}
                    spec: {schedule: '0 * * * *', template: {includedNamespaces: [vault]}}
                    """, backup("hourly-1", "Completed", 60), backup("hourly-2", "Failed", 5)}) {
                try {
                    kube.resource(new YAMLMapper().readValue(yaml, GenericKubernetesResource.class)).create();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }

        private static String backup(String name, String phase, int minutesAgo) {
            String at = START.minus(Duration.ofMinutes(minutesAgo)).toString();
            return """
                    apiVersion: velero.io/v1
                    kind: Backup
                    metadata: {name: %s, namespace: velero, labels: {velero.io/schedule-name: hourly}}
                    spec: {includedNamespaces: [vault]}
                    status: {phase: %s, startTimestamp: '%s', completionTimestamp: '%s'}
                    """.formatted(name, phase, at, at);
        }
    }

    @TestHTTPResource(value = "metrics", management = true)
    URL metricsEndpoint;

    @TestHTTPResource(value = "scan", management = true)
    URL scanEndpoint;

    @Test
    void each_namespace_exports_its_backup_and_drill_ages_beside_its_own_objectives() throws Exception {
        await().atMost(Duration.ofSeconds(40)).until(() -> RestAssured.get(metricsEndpoint).asString()
                .contains("haguard_backup_age_seconds{"));
        String metrics = RestAssured.get(metricsEndpoint).asString();

        double age = value(metrics, "haguard_backup_age_seconds{namespace=\"vault\",schedule=\"hourly\"}");
        double sinceStart = Duration.between(START, Instant.now()).toSeconds();
        assertThat(age).as("the newest Completed Backup's age, not the newer Failed one's, growing between scans")
                .isBetween(3600.0 - 1, 3600.0 + sinceStart + 1);
        assertThat(value(metrics, "haguard_backup_rpo_seconds{namespace=\"vault\"}")).isEqualTo(4 * 3600.0);
        assertThat(value(metrics, "haguard_backup_age_seconds{namespace=\"ledger\",schedule=\"\"}"))
                .as("nothing backs it up: older than any RPO").isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(value(metrics, "haguard_backup_rpo_seconds{namespace=\"ledger\"}")).isEqualTo(24 * 3600.0);
        assertThat(value(metrics, "haguard_drill_age_seconds{namespace=\"vault\"}")).isBetween(2 * 86400.0 - 1,
                2 * 86400.0 + sinceStart + 1);
        assertThat(value(metrics, "haguard_drill_age_seconds{namespace=\"ledger\"}")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(value(metrics, "haguard_drill_max_age_seconds{namespace=\"vault\"}")).isEqualTo(30 * 86400.0);
        assertThat(value(metrics, "haguard_drill_rto_seconds{namespace=\"vault\"}")).isEqualTo(2700.0);
        assertThat(value(metrics, "haguard_drill_rto_objective_seconds{namespace=\"vault\"}")).isEqualTo(1800.0);
        assertThat(metrics).as("no RTO is declared for ledger, and it has no drill")
                .doesNotContain("haguard_drill_rto_objective_seconds{namespace=\"ledger\"}",
                        "haguard_drill_rto_seconds{namespace=\"ledger\"}");

        JsonNode scan = Json.MAPPER.readTree(RestAssured.get(scanEndpoint).asString());
        assertThat(scan.path("namespaces")).anySatisfy(ns -> {
            assertThat(ns.path("name").asText()).isEqualTo("ledger");
            assertThat(ns.path("measures")).anySatisfy(m -> {
                assertThat(m.path("name").asText()).isEqualTo("haguard_backup_age_seconds");
                assertThat(m.path("never").asBoolean()).isTrue();
            });
        });
    }

    @Test
    void every_metric_the_recovery_alerts_and_panels_name_is_exported() throws Exception {
        await().atMost(Duration.ofSeconds(40)).until(() -> RestAssured.get(metricsEndpoint).asString()
                .contains("haguard_backup_age_seconds{"));
        Set<String> exported = MonitoringExamples.exported(RestAssured.get(metricsEndpoint).asString());
        Set<String> named = MonitoringExamples.alerted(MonitoringExamples.RECOVERY::equals);
        assertThat(named).contains("haguard_backup_age_seconds", "haguard_backup_rpo_seconds",
                "haguard_drill_age_seconds", "haguard_drill_max_age_seconds", "haguard_drill_rto_seconds",
                "haguard_drill_rto_objective_seconds");
        assertThat(exported).containsAll(named);
        Set<String> charted = new java.util.TreeSet<>(MonitoringExamples.charted());
        charted.removeIf(m -> !MonitoringExamples.recovery(m));
        assertThat(charted).as("the dashboard's recovery panels").containsExactlyInAnyOrderElementsOf(named);
        assertThat(exported).containsAll(charted);
    }

    /** The value of one exported series, as Prometheus' text format writes it (+Inf for infinity). */
    private static double value(String metrics, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metrics);
        assertThat(m.find()).as(series + " in /q/metrics").isTrue();
        return m.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1));
    }
}

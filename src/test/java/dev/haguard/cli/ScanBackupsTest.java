package dev.haguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haguard.rules.backups.DrillRecord;
import org.junit.jupiter.api.Test;

/** The backups rule as scan judges it, on dumps with Velero objects and a fixed clock (--now). */
class ScanBackupsTest {

    private static final String NOW = "2026-12-01T12:00:00Z";

    private static final String DATA = """
            apiVersion: v1
            kind: List
            items:
            - apiVersion: v1
              kind: Namespace
              metadata: {name: shop}
            - apiVersion: v1
              kind: PersistentVolumeClaim
              metadata: {name: data, namespace: shop}
              spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
            - apiVersion: v1
              kind: Namespace
              metadata: {name: web}
            - apiVersion: v1
              kind: ConfigMap
              metadata: {name: settings, namespace: web}
            """;

    private static String schedule(String name, String cron, String template) {
        return """
                - apiVersion: velero.io/v1
                  kind: Schedule
                  metadata: {name: %s, namespace: velero}
                  spec: {schedule: '%s', template: %s}
                """.formatted(name, cron, template);
    }

    private static String backup(String name, String schedule, String phase, String completed) {
        return """
                - apiVersion: velero.io/v1
                  kind: Backup
                  metadata: {name: %s, namespace: velero, labels: {velero.io/schedule-name: %s}, creationTimestamp: '%s'}
                  status: {phase: %s, startTimestamp: '%s', completionTimestamp: '%s'}
                """.formatted(name, schedule, completed, phase, completed, completed);
    }

    private static ScanRun scan(String dump, String... more) {
        String[] args = new String[more.length + 4];
        args[0] = "--from";
        args[1] = "-";
        args[2] = "--now";
        args[3] = NOW;
        System.arraycopy(more, 0, args, 4, more.length);
        return ScanRun.withStdin(dump, args);
    }

    @Test
    void a_dump_without_any_schedule_is_one_cluster_finding_for_the_namespaces_with_data() {
        ScanRun run = scan(DATA);

        assertThat(run.out()).contains("no Velero Schedule in the input: no backups are taken of the 1 namespace(s) "
                + "that need them (shop)").doesNotContain("(web)");
    }

    /** shop's Namespace with the record of a drill, as ha-guard drill writes it. */
    private static String drilled(String time, String result, long rtoSeconds) {
        return DATA.replace("metadata: {name: shop}", "metadata: {name: shop, annotations: {haguard.dev/last-drill: '"
                + new DrillRecord(java.time.Instant.parse(time), "nightly-20261101020000", result.equals("passed"),
                        java.time.Duration.ofSeconds(rtoSeconds), result.equals("passed") ? "" : "Restore Failed")
                        .toJson() + "'}}");
    }

    @Test
    void a_covering_schedule_within_the_rpo_with_a_fresh_backup_and_a_recent_drill_is_clean() {
        ScanRun run = scan(drilled("2026-11-20T04:00:00Z", "passed", 300) + schedule("nightly", "0 2 * * *", "{includedNamespaces: ['*']}")
                + backup("nightly-20261201020000", "nightly", "Completed", "2026-12-01T02:10:00Z"), "-o", "json");

        assertThat(run.out()).doesNotContain("\"rule\" : \"backups\"");
    }

    /** The figures the server exports as gauges, in the JSON report at --now: ages against the objectives. */
    @Test
    void the_json_report_measures_each_namespaces_backup_and_drill_age_against_its_objectives() throws Exception {
        String nightly = schedule("nightly", "0 2 * * *", "{includedNamespaces: ['*']}");
        com.fasterxml.jackson.databind.JsonNode fresh = shop(scan(drilled("2026-11-20T12:00:00Z", "passed", 300) + nightly
                + backup("nightly-20261201020000", "nightly", "Completed", "2026-12-01T02:00:00Z"), "-o", "json"));
        assertThat(fresh.toString()).contains("{\"name\":\"haguard_backup_age_seconds\",\"schedule\":\"nightly\","
                + "\"seconds\":36000}", "{\"name\":\"haguard_backup_rpo_seconds\",\"seconds\":86400}",
                "{\"name\":\"haguard_drill_age_seconds\",\"seconds\":950400}",
                "{\"name\":\"haguard_drill_max_age_seconds\",\"seconds\":2592000}",
                "{\"name\":\"haguard_drill_rto_seconds\",\"seconds\":300}");

        com.fasterxml.jackson.databind.JsonNode failed = shop(scan(drilled("2026-11-20T12:00:00Z", "failed", 300)
                + nightly + backup("nightly-20261201020000", "nightly", "Failed", "2026-12-01T02:00:00Z"), "-o", "json"));
        assertThat(failed.toString()).as("no Completed Backup, no passed drill: never")
                .contains("{\"name\":\"haguard_backup_age_seconds\",\"schedule\":\"nightly\",\"seconds\":null,"
                        + "\"never\":true}", "{\"name\":\"haguard_drill_age_seconds\",\"seconds\":null,\"never\":true}")
                .doesNotContain("haguard_drill_rto_seconds");

        assertThat(shop(scan(DATA + nightly, "-o", "json")).toString()).as("a dump without Backups tells no age")
                .doesNotContain("haguard_backup_age_seconds").contains("haguard_backup_rpo_seconds");
    }

    private static com.fasterxml.jackson.databind.JsonNode shop(ScanRun run) throws Exception {
        for (com.fasterxml.jackson.databind.JsonNode ns : dev.haguard.json.Json.MAPPER.readTree(run.out())
                .path("namespaces")) {
            if (ns.path("name").asText().equals("shop")) {
                return ns.path("measures");
            }
        }
        throw new AssertionError("no namespace shop in " + run.out());
    }

    @Test
    void a_weekday_schedule_leaves_a_weekend_gap_beyond_a_24h_rpo_with_the_fix() {
        ScanRun run = scan(DATA + schedule("weekdays", "0 2 * * 1-5", "{includedNamespaces: [shop]}"));

        assertThat(run.out()).contains("MEDIUM backups", "Namespace shop", "Schedule weekdays ('0 2 * * 1-5') leaves up "
                + "to 3d between backups, more than the RPO 24h", "Fix: set its schedule to '0 2 * * *'");
    }

    @Test
    void a_stricter_namespace_rpo_is_honoured_and_a_looser_one_ignored() {
        String strict = DATA.replace("metadata: {name: shop}", "metadata: {name: shop, annotations: {haguard.dev/rpo: 4h}}");
        String loose = DATA.replace("metadata: {name: shop}", "metadata: {name: shop, annotations: {haguard.dev/rpo: 7d}}");
        String nightly = schedule("nightly", "0 2 * * *", "{}");

        assertThat(scan(strict + nightly).out()).contains("leaves up to 24h between backups, more than the RPO 4h",
                "'0 */4 * * *'");
        assertThat(scan(loose + nightly).out()).contains("haguard.dev/rpo 7d is looser than the policy's RPO 24h, so it "
                + "is ignored").doesNotContain("more than the RPO");
    }

    @Test
    void an_excluded_paused_or_volume_less_schedule_does_not_cover() {
        for (String template : new String[] {"{excludedNamespaces: [shop]}", "{snapshotVolumes: false}",
                "{includedResources: [deployments]}"}) {
            assertThat(scan(DATA + schedule("s", "0 2 * * *", template)).out()).as(template)
                    .contains("no Velero Schedule backs up its data", "velero schedule create shop --include-namespaces "
                            + "shop --schedule '0 2 * * *'");
        }
    }

    @Test
    void an_old_last_good_backup_and_a_failed_latest_one_are_each_reported() {
        ScanRun run = scan(DATA + schedule("nightly", "0 2 * * *", "{}")
                + backup("nightly-20261127020000", "nightly", "Completed", "2026-11-27T02:10:00Z")
                + backup("nightly-20261201020000", "nightly", "Failed", "2026-12-01T02:05:00Z"));

        assertThat(run.out()).contains("the newest Completed Backup of Schedule nightly is 4d",
                "more than the RPO 24h", "the latest Backup of Schedule nightly, nightly-20261201020000, is Failed");
    }

    @Test
    void an_unavailable_storage_location_and_a_cron_velero_refuses_are_findings() {
        ScanRun run = scan(DATA + schedule("broken", "0 25 * * *", "{}") + """
                - apiVersion: velero.io/v1
                  kind: BackupStorageLocation
                  metadata: {name: default, namespace: velero}
                  status: {phase: Unavailable}
                """);

        assertThat(run.out()).contains("BackupStorageLocation default is Unavailable", "\"0 25 * * *\" is not a cron "
                + "expression Velero accepts");
    }

    @Test
    void drills_never_recorded_too_old_failed_or_slower_than_the_rto_are_each_reported() {
        String nightly = schedule("nightly", "0 2 * * *", "{}");

        assertThat(scan(DATA + nightly).out()).contains("Namespace shop", "no restore drill is recorded",
                "Fix: ha-guard drill shop");
        assertThat(scan(drilled("2026-10-01T04:00:00Z", "passed", 300) + nightly).out())
                .contains("the last restore drill, 2026-10-01T04:00:00Z, is 61d8h old, more than restoreTestMaxAge 30d");
        assertThat(scan(drilled("2026-11-30T04:00:00Z", "failed", 300) + nightly).out())
                .contains("from Backup nightly-20261101020000, failed: Restore Failed");
        String slow = drilled("2026-11-30T04:00:00Z", "passed", 5400).replace("haguard.dev/last-drill",
                "haguard.dev/rto: 1h, haguard.dev/last-drill");
        assertThat(scan(slow + nightly).out()).contains("the last restore drill took 1h30m until the workloads were "
                + "ready, more than the RTO 1h");
    }

    @Test
    void restore_test_max_age_0_turns_drills_off() throws Exception {
        java.nio.file.Path policy = java.nio.file.Files.createTempFile("policy", ".yaml");
        java.nio.file.Files.writeString(policy, "defaults: {backups: {restoreTestMaxAge: '0'}}\n");

        assertThat(scan(DATA + schedule("nightly", "0 2 * * *", "{}"), "--policy", policy.toString()).out())
                .doesNotContain("restore drill");
    }

    @Test
    void a_namespace_rpo_that_does_not_parse_is_reported() {
        assertThat(scan(DATA.replace("metadata: {name: shop}", "metadata: {name: shop, annotations: {haguard.dev/rpo: "
                + "soon}}")).out()).contains("haguard.dev/rpo is \"soon\", which is not a duration");
    }
}

package dev.haguard.rules.backups;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haguard.engine.Finding;
import dev.haguard.engine.Measure;
import dev.haguard.engine.Rule.ScopedSettings;
import dev.haguard.engine.StateFinding;
import dev.haguard.engine.Stored;
import dev.haguard.policy.Mode;
import dev.haguard.rules.backups.Protection.Objective;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The backups rule over what is stored (the scan's part; {@link BackupsRule} judges requests with the same
 * {@link Protection}): every namespace that needs backups (by the policy: those with data, or all) is covered by a
 * Velero Schedule whose longest gap between runs is at most its RPO; where Backups are stored, the newest Completed one
 * of that schedule is younger than the RPO and the latest did not fail; its last restore drill is recent, passed and
 * within the RTO. Each namespace judged is a subject of its own.
 */
final class BackupsStored {

    /** The gauges this judgement measures per namespace (Prometheus: haguard_backup_age_seconds, ...). */
    static final String AGE = "haguard.backup.age";
    static final String RPO = "haguard.backup.rpo";
    static final String DRILL_AGE = "haguard.drill.age";
    static final String DRILL_MAX_AGE = "haguard.drill.max.age";
    static final String DRILL_RTO = "haguard.drill.rto";
    static final String RTO = "haguard.drill.rto.objective";
    private static final String SCHEDULE = "schedule";
    static final Map<String, String> MEASURES = Map.of(
            AGE, "Age of the newest Completed Backup of the Velero Schedule (label) that backs up the namespace most "
                    + "often; +Inf when it has none, or no Schedule backs it up (schedule \"\")",
            RPO, "The namespace's RPO: the policy's, or the stricter one its haguard.dev/rpo annotation asks",
            DRILL_AGE, "Age of the namespace's last restore drill, if it passed; +Inf when none passed as recorded",
            DRILL_MAX_AGE, "The policy's restoreTestMaxAge for the namespace",
            DRILL_RTO, "How long the namespace's last passed restore drill took until its workloads were ready",
            RTO, "The namespace's RTO: the policy's, or the stricter one its haguard.dev/rto annotation asks");

    private final Stored stored;
    private final ScopedSettings<BackupsConfig> settings;
    private final List<JsonNode> schedules = new ArrayList<>();
    private final Map<String, List<JsonNode>> backupsBySchedule = new HashMap<>();
    private final List<StateFinding> found = new ArrayList<>();

    private BackupsStored(Stored stored, ScopedSettings<BackupsConfig> settings) {
        this.stored = stored;
        this.settings = settings;
    }

    static List<StateFinding> judge(Stored stored, ScopedSettings<BackupsConfig> settings) {
        return new BackupsStored(stored, settings).judge();
    }

    private List<StateFinding> judge() {
        velero("Schedule").forEach(s -> {
            schedules.add(s);
            try {
                CronGaps.longestGap(s.path("spec").path("schedule").asText());
            } catch (IllegalArgumentException e) {
                found.add(new StateFinding(namespace(s), "Schedule", name(s), Finding.Kind.VIOLATION, e.getMessage()
                        + ": Velero never runs it."));
            }
        });
        velero("Backup").forEach(b -> {
            String schedule = b.path("metadata").path("labels").path("velero.io/schedule-name").asText(null);
            if (schedule != null) {
                backupsBySchedule.computeIfAbsent(schedule, k -> new ArrayList<>()).add(b);
            }
        });
        velero("BackupStorageLocation").forEach(l -> {
            String phase = l.path("status").path("phase").asText("");
            if (!phase.equals("Available")) {
                found.add(new StateFinding(namespace(l), "BackupStorageLocation", name(l), Finding.Kind.VIOLATION,
                        "BackupStorageLocation " + name(l) + " is " + (phase.isEmpty() ? "not reported Available"
                                : phase) + ": backups to it fail. Fix: check its bucket and credentials (velero "
                                + "backup-location get)."));
            }
        });
        boolean noVelero = stored.veleroInstalled().equals(Optional.of(false)) || schedules.isEmpty();
        TreeSet<String> judged = new TreeSet<>();
        TreeSet<String> withData = withData();
        for (String ns : stored.namespaces()) {
            BackupsConfig config = settings.at(ns, Map.of());
            if (config == null || config.mode() == Mode.OFF
                    || config.namespaces() != BackupsConfig.Needs.ALL && !withData.contains(ns)) {
                continue;
            }
            judged.add(ns);
            Map<String, String> annotations = stored.namespaceAnnotations(ns);
            Objective objective = Protection.objective(config, annotations);
            List<Measure> measures = new ArrayList<>();
            measures.add(Measure.of(RPO, ns, objective.rpo()));
            objective.invalid().forEach(m -> found.add(subject(ns, Finding.Kind.VIOLATION, m + ".")));
            objective.ignored().forEach(m -> found.add(subject(ns, Finding.Kind.NOTICE, m + ".")));
            if (noVelero) { // said once for the cluster, below
                measures.add(Measure.age(AGE, ns, Map.of(SCHEDULE, ""), null));
            } else {
                protection(ns, objective.rpo(), measures);
                drills(ns, config, objective, annotations, measures);
            }
            found.add(new StateFinding(ns, "Namespace", ns, Finding.Kind.PASS, "", "", List.copyOf(measures)));
        }
        if (noVelero && !judged.isEmpty()) {
            Optional<Boolean> installed = stored.veleroInstalled();
            found.add(new StateFinding("", StateFinding.CLUSTER, "", Finding.Kind.VIOLATION, (installed.isEmpty()
                    ? "no Velero Schedule in the input" : installed.get() ? "Velero has no Schedule"
                    : "Velero is not installed (no velero.io CRDs)") + ": no backups are taken of the " + judged.size()
                    + " namespace(s) that need them (" + String.join(", ", judged) + "). Fix: install Velero and add a "
                    + "Schedule, e.g. velero schedule create daily --schedule '0 2 * * *'."));
        }
        return found;
    }

    /** Namespaces with claims, StatefulSets with claim templates, or pods that mount claims. */
    private TreeSet<String> withData() {
        TreeSet<String> out = new TreeSet<>();
        stored.of("PersistentVolumeClaim").forEach(c -> out.add(namespace(c)));
        stored.of("StatefulSet").stream().filter(s -> s.path("spec").path("volumeClaimTemplates").size() > 0)
                .forEach(s -> out.add(namespace(s)));
        for (JsonNode pod : stored.of("Pod")) {
            for (JsonNode v : pod.path("spec").path("volumes")) {
                if (v.has("persistentVolumeClaim")) {
                    out.add(namespace(pod));
                }
            }
        }
        return out;
    }

    private void protection(String ns, Duration rpo, List<Measure> measures) {
        Protection.Best protection = Protection.best(ns, schedules);
        String shortfall = Protection.shortfall(protection, rpo);
        JsonNode best = protection.best();
        if (best == null) {
            measures.add(Measure.age(AGE, ns, Map.of(SCHEDULE, ""), null));
            found.add(subject(ns, Finding.Kind.VIOLATION, shortfall + ", so a lost volume or namespace cannot be "
                    + "restored. Fix: velero schedule create " + ns + " --include-namespaces " + ns + " --schedule '"
                    + Protection.cronFor(rpo) + "' (runs at least every " + Protection.human(rpo) + ", the RPO)."));
            return;
        }
        if (shortfall != null) {
            found.add(subject(ns, Finding.Kind.VIOLATION, shortfall + ". Fix: set its schedule to '"
                    + Protection.cronFor(rpo) + "'."));
        }
        List<JsonNode> made = backupsBySchedule.getOrDefault(name(best), List.of());
        if (made.isEmpty()) {
            // A live scan lists every Backup, and so does a dump that holds some: then this schedule has made none.
            if (stored.veleroInstalled().orElse(false) || !backupsBySchedule.isEmpty()) {
                measures.add(Measure.age(AGE, ns, Map.of(SCHEDULE, name(best)), null));
            }
            return;
        }
        Instant now = stored.now();
        Instant newest = made.stream().filter(b -> b.path("status").path("phase").asText().equals("Completed"))
                .map(b -> instant(b.path("status").path("completionTimestamp"))).filter(i -> i != null)
                .max(Instant::compareTo).orElse(null);
        measures.add(Measure.age(AGE, ns, Map.of(SCHEDULE, name(best)), newest));
        if (newest == null || Duration.between(newest, now).compareTo(rpo) > 0) {
            found.add(subject(ns, Finding.Kind.VIOLATION, newest == null ? "Schedule " + name(best) + " has no "
                    + "Completed Backup: nothing to restore from. Fix: see velero backup describe."
                    : "the newest Completed Backup of Schedule " + name(best) + " is " + Protection.human(
                            Duration.between(newest, now)) + " old, more than the RPO " + Protection.human(rpo)
                            + ". Fix: see why recent backups did not complete (velero backup get)."));
        }
        JsonNode latest = made.stream().max(Comparator.comparing(b -> b.path("status").path("startTimestamp")
                .asText(b.path("metadata").path("creationTimestamp").asText()))).orElseThrow();
        String phase = latest.path("status").path("phase").asText();
        if (phase.equals("Failed") || phase.equals("PartiallyFailed")) {
            found.add(subject(ns, Finding.Kind.VIOLATION, "the latest Backup of Schedule " + name(best) + ", "
                    + name(latest) + ", is " + phase + ". Fix: velero backup describe " + name(latest) + " --details."));
        }
    }

    /** The namespace's last restore drill against restoreTestMaxAge and the RTO. */
    private void drills(String ns, BackupsConfig config, Objective objective, Map<String, String> annotations,
            List<Measure> measures) {
        Duration maxAge = BackupsConfig.parse(config.restoreTestMaxAge());
        if (maxAge.isZero()) {
            return;
        }
        measures.add(Measure.of(DRILL_MAX_AGE, ns, maxAge));
        if (objective.rto() != null) {
            measures.add(Measure.of(RTO, ns, objective.rto()));
        }
        String fix = " Fix: ha-guard drill " + ns + " (deploy/examples/restore-drill runs it every month).";
        String text = annotations.get(DrillRecord.ANNOTATION);
        Optional<DrillRecord> drill = text == null ? Optional.empty() : DrillRecord.parse(text);
        // A failed drill proves no restore: the age counts from the last one that passed, as far as the record tells.
        measures.add(Measure.age(DRILL_AGE, ns, Map.of(), drill.filter(DrillRecord::passed).map(DrillRecord::time)
                .orElse(null)));
        if (drill.isEmpty()) {
            found.add(subject(ns, Finding.Kind.VIOLATION, (text == null ? "no restore drill is recorded"
                    : DrillRecord.ANNOTATION + " is not a drill record ha-guard wrote") + ": a backup that was never "
                    + "restored is a hope, not a plan." + fix));
            return;
        }
        DrillRecord d = drill.get();
        if (d.passed() && d.measuredRto() != null) {
            measures.add(Measure.of(DRILL_RTO, ns, d.measuredRto()));
        }
        Duration age = Duration.between(d.time(), stored.now());
        if (age.compareTo(maxAge) > 0) {
            found.add(subject(ns, Finding.Kind.VIOLATION, "the last restore drill, " + d.time() + ", is "
                    + Protection.human(age) + " old, more than restoreTestMaxAge " + config.restoreTestMaxAge() + "."
                    + fix));
        }
        if (!d.passed()) {
            found.add(subject(ns, Finding.Kind.VIOLATION, "the last restore drill, " + d.time() + " from Backup "
                    + d.backup() + ", failed: " + d.detail() + "." + fix.replace(" Fix:", " Fix: see why, then")));
        } else if (objective.rto() != null && d.measuredRto() != null && d.measuredRto().compareTo(objective.rto()) > 0) {
            found.add(subject(ns, Finding.Kind.VIOLATION, "the last restore drill took " + Protection.human(
                    d.measuredRto()) + " until the workloads were ready, more than the RTO " + Protection.human(
                    objective.rto()) + ". Fix: make the restore faster (CSI snapshots rather than a file-system "
                    + "backup, smaller volumes per namespace, images the nodes already hold) or agree a longer RTO in "
                    + "the policy."));
        }
    }

    private List<JsonNode> velero(String kind) {
        return stored.of(kind).stream().filter(o -> o.path("apiVersion").asText().startsWith("velero.io/")).toList();
    }

    private static StateFinding subject(String ns, Finding.Kind verdict, String message) {
        return new StateFinding(ns, "Namespace", ns, verdict, message);
    }

    private static Instant instant(JsonNode text) {
        try {
            return text.isTextual() ? Instant.parse(text.asText()) : null;
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    private static String name(JsonNode o) {
        return o.path("metadata").path("name").asText();
    }

    private static String namespace(JsonNode o) {
        return o.path("metadata").path("namespace").asText("");
    }
}

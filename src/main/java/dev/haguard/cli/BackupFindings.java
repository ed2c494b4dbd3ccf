package dev.haguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haguard.cli.ScanCommand.Found;
import dev.haguard.cli.ScanCommand.Severity;
import dev.haguard.policy.Mode;
import dev.haguard.policy.Policy;
import dev.haguard.rules.backups.BackupsConfig;
import dev.haguard.rules.backups.BackupsRule;
import dev.haguard.rules.backups.CronGaps;
import dev.haguard.rules.backups.DrillRecord;
import dev.haguard.rules.backups.Protection;
import dev.haguard.rules.backups.Protection.Objective;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The backups rule, judged by scan: every namespace that needs backups (by the policy: those with data, or all) is
 * covered by a Velero Schedule whose longest gap between runs is at most its RPO, and, where Backups are in the
 * input, the newest Completed Backup of that schedule is younger than the RPO and the latest did not fail.
 */
final class BackupFindings {

    /** The namespaces judged (each an object of the score) and what was found. */
    record Judged(Map<String, String> namespaces, List<Found> findings) {
    }

    private BackupFindings() {
    }

    /** {@code veleroInstalled}: false when a live cluster has no Velero CRDs; null for a dump (not known). */
    static Judged of(List<Manifests.Document> docs, Policy policy, Instant now, Boolean veleroInstalled) {
        Map<String, JsonNode> namespaces = new HashMap<>();
        TreeSet<String> withData = new TreeSet<>();
        TreeSet<String> all = new TreeSet<>();
        List<JsonNode> schedules = new ArrayList<>();
        Map<String, List<JsonNode>> backupsBySchedule = new HashMap<>();
        List<Found> findings = new ArrayList<>();
        for (Manifests.Document doc : docs) {
            JsonNode o = doc.content();
            String kind = o.path("kind").asText();
            boolean velero = o.path("apiVersion").asText().startsWith("velero.io/");
            String ns = o.path("metadata").path("namespace").asText("");
            if (!ns.isEmpty()) {
                all.add(ns);
            }
            switch (kind) {
                case "Namespace" -> {
                    namespaces.put(o.path("metadata").path("name").asText(), o);
                    all.add(o.path("metadata").path("name").asText());
                }
                case "PersistentVolumeClaim" -> withData.add(ns);
                case "StatefulSet" -> {
                    if (o.path("spec").path("volumeClaimTemplates").size() > 0) {
                        withData.add(ns);
                    }
                }
                case "Pod" -> {
                    for (JsonNode v : o.path("spec").path("volumes")) {
                        if (v.has("persistentVolumeClaim")) {
                            withData.add(ns);
                        }
                    }
                }
                case "Schedule" -> {
                    if (velero) {
                        schedules.add(o);
                    }
                }
                case "Backup" -> {
                    String schedule = o.path("metadata").path("labels").path("velero.io/schedule-name").asText(null);
                    if (velero && schedule != null) {
                        backupsBySchedule.computeIfAbsent(schedule, k -> new ArrayList<>()).add(o);
                    }
                }
                case "BackupStorageLocation" -> {
                    String phase = o.path("status").path("phase").asText("");
                    if (velero && !phase.equals("Available")) {
                        findings.add(new Found("(cluster)", "BackupStorageLocation " + o.path("metadata").path("name")
                                .asText(), "backups", Severity.high, "BackupStorageLocation " + o.path("metadata")
                                .path("name").asText() + " is " + (phase.isEmpty() ? "not reported Available" : phase)
                                + ": backups to it fail. Fix: check its bucket and credentials (velero backup-location "
                                + "get)."));
                    }
                }
                default -> { }
            }
        }
        Map<String, String> judged = new HashMap<>();
        for (JsonNode s : schedules) {
            try {
                CronGaps.longestGap(s.path("spec").path("schedule").asText());
            } catch (IllegalArgumentException e) {
                findings.add(new Found(s.path("metadata").path("namespace").asText(), "Schedule " + name(s), "backups",
                        Severity.high, e.getMessage() + ": Velero never runs it."));
            }
        }
        boolean noVelero = Boolean.FALSE.equals(veleroInstalled) || schedules.isEmpty();
        for (String ns : all) {
            JsonNode namespace = namespaces.get(ns);
            Map<String, String> labels = labels(namespace, "labels");
            if (policy.exemptions().namespaces().stream().anyMatch(g -> g.matches(ns))) {
                continue;
            }
            BackupsConfig config = policy.scope(ns, labels, Map.of()).rules().get(BackupsRule.SETTINGS);
            boolean needs = config.namespaces() == BackupsConfig.Needs.ALL || withData.contains(ns);
            if (!needs || config.mode() == Mode.OFF) {
                continue;
            }
            Severity severity = config.mode() == Mode.ENFORCE ? Severity.high : config.mode() == Mode.WARN
                    ? Severity.medium : Severity.low;
            String object = "Namespace " + ns;
            judged.put(ns, object);
            Objective objective = Protection.objective(config, labels(namespace, "annotations"));
            objective.invalid().forEach(m -> findings.add(new Found(ns, object, "backups", Severity.high, m + ".")));
            objective.ignored().forEach(m -> findings.add(new Found(ns, object, "backups", Severity.low, m + ".")));
            if (noVelero) {
                continue; // said once for the cluster, below
            }
            findings.addAll(judge(ns, object, objective.rpo(), severity, schedules, backupsBySchedule, now));
            findings.addAll(drills(ns, object, config, objective, labels(namespace, "annotations"), severity, now));
        }
        if (noVelero && !judged.isEmpty()) {
            findings.add(new Found("(cluster)", "Cluster", "backups", Severity.high, (Boolean.FALSE.equals(
                    veleroInstalled) ? "Velero is not installed (no velero.io CRDs)" : veleroInstalled == null
                    ? "no Velero Schedule in the input" : "Velero has no Schedule")
                    + ": no backups are taken of the " + judged.size() + " namespace(s) that need them ("
                    + String.join(", ", new TreeSet<>(judged.keySet())) + "). Fix: install Velero and add a Schedule, "
                    + "e.g. velero schedule create daily --schedule '0 2 * * *'."));
        }
        return new Judged(judged, findings);
    }

    private static List<Found> judge(String ns, String object, Duration rpo, Severity severity, List<JsonNode> schedules,
            Map<String, List<JsonNode>> backups, Instant now) {
        List<Found> found = new ArrayList<>();
        Protection.Best protection = Protection.best(ns, schedules);
        String shortfall = Protection.shortfall(protection, rpo);
        JsonNode best = protection.best();
        if (best == null) {
            found.add(new Found(ns, object, "backups", severity, shortfall + ", so a lost volume or namespace cannot be "
                    + "restored. Fix: velero schedule create " + ns + " --include-namespaces " + ns + " --schedule '"
                    + Protection.cronFor(rpo) + "' (runs at least every " + Protection.human(rpo) + ", the RPO)."));
            return found;
        }
        if (shortfall != null) {
            found.add(new Found(ns, object, "backups", severity, shortfall + ". Fix: set its schedule to '"
                    + Protection.cronFor(rpo) + "'."));
        }
        List<JsonNode> made = backups.getOrDefault(name(best), List.of());
        if (!made.isEmpty()) {
            Instant newest = made.stream().filter(b -> b.path("status").path("phase").asText().equals("Completed"))
                    .map(b -> instant(b.path("status").path("completionTimestamp"))).filter(i -> i != null)
                    .max(Instant::compareTo).orElse(null);
            if (newest == null || Duration.between(newest, now).compareTo(rpo) > 0) {
                found.add(new Found(ns, object, "backups", severity, newest == null ? "Schedule " + name(best)
                        + " has no Completed Backup: nothing to restore from. Fix: see velero backup describe."
                        : "the newest Completed Backup of Schedule " + name(best) + " is " + Protection.human(Duration.between(
                                newest, now)) + " old, more than the RPO " + Protection.human(rpo) + ". Fix: see why recent backups did "
                                + "not complete (velero backup get)."));
            }
            JsonNode latest = made.stream().max(java.util.Comparator.comparing(b -> String.valueOf(
                    b.path("status").path("startTimestamp").asText(b.path("metadata").path("creationTimestamp")
                            .asText())))).orElseThrow();
            String phase = latest.path("status").path("phase").asText();
            if (phase.equals("Failed") || phase.equals("PartiallyFailed")) {
                found.add(new Found(ns, object, "backups", severity, "the latest Backup of Schedule " + name(best) + ", "
                        + latest.path("metadata").path("name").asText() + ", is " + phase + ". Fix: velero backup "
                        + "describe " + latest.path("metadata").path("name").asText() + " --details."));
            }
        }
        return found;
    }

    /** The namespace's last restore drill against restoreTestMaxAge and the RTO. */
    private static List<Found> drills(String ns, String object, BackupsConfig config, Objective objective,
            Map<String, String> annotations, Severity severity, Instant now) {
        Duration maxAge = BackupsConfig.parse(config.restoreTestMaxAge());
        if (maxAge.isZero()) {
            return List.of();
        }
        String fix = " Fix: ha-guard drill " + ns + " (deploy/examples/restore-drill runs it every month).";
        String text = annotations.get(DrillRecord.ANNOTATION);
        Optional<DrillRecord> drill = text == null ? Optional.empty() : DrillRecord.parse(text);
        if (drill.isEmpty()) {
            return List.of(new Found(ns, object, "backups", severity, (text == null ? "no restore drill is recorded"
                    : DrillRecord.ANNOTATION + " is not a drill record ha-guard wrote") + ": a backup that was never "
                    + "restored is a hope, not a plan." + fix));
        }
        DrillRecord d = drill.get();
        List<Found> found = new ArrayList<>();
        Duration age = Duration.between(d.time(), now);
        if (age.compareTo(maxAge) > 0) {
            found.add(new Found(ns, object, "backups", severity, "the last restore drill, " + d.time() + ", is "
                    + Protection.human(age) + " old, more than restoreTestMaxAge " + config.restoreTestMaxAge() + "."
                    + fix));
        }
        if (!d.passed()) {
            found.add(new Found(ns, object, "backups", severity, "the last restore drill, " + d.time() + " from Backup "
                    + d.backup() + ", failed: " + d.detail() + "." + fix.replace(" Fix:", " Fix: see why, then")));
        } else if (objective.rto() != null && d.measuredRto() != null && d.measuredRto().compareTo(objective.rto()) > 0) {
            found.add(new Found(ns, object, "backups", severity, "the last restore drill took "
                    + Protection.human(d.measuredRto()) + " until the workloads were ready, more than the RTO "
                    + Protection.human(objective.rto()) + ". Fix: make the restore faster (CSI snapshots rather than a "
                    + "file-system backup, smaller volumes per namespace, images the nodes already hold) or agree a "
                    + "longer RTO in the policy."));
        }
        return found;
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

    private static Map<String, String> labels(JsonNode namespace, String field) {
        Map<String, String> out = new HashMap<>();
        if (namespace != null) {
            namespace.path("metadata").path(field).properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        }
        return out;
    }
}

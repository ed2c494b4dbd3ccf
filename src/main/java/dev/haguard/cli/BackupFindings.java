package dev.haguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haguard.cli.ScanCommand.Found;
import dev.haguard.cli.ScanCommand.Severity;
import dev.haguard.policy.Mode;
import dev.haguard.policy.Policy;
import dev.haguard.rules.backups.BackupsConfig;
import dev.haguard.rules.backups.BackupsRule;
import dev.haguard.rules.backups.CronGaps;
import dev.haguard.rules.backups.VeleroSchedules;
import dev.haguard.rules.backups.VeleroSchedules.Cover;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The backups rule, judged by scan: every namespace that needs backups (by the policy: those with data, or all) is
 * covered by a Velero Schedule whose longest gap between runs is at most its RPO, and, where Backups are in the
 * input, the newest Completed Backup of that schedule is younger than the RPO and the latest did not fail.
 */
final class BackupFindings {

    static final String RPO_ANNOTATION = BackupsRule.RPO_ANNOTATION;

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
        Map<String, Duration> gaps = new HashMap<>();
        for (JsonNode s : schedules) {
            try {
                gaps.put(name(s), CronGaps.longestGap(s.path("spec").path("schedule").asText()));
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
            Duration rpo = BackupsConfig.parse(config.rpo());
            String asked = labels(namespace, "annotations").get(RPO_ANNOTATION);
            if (asked != null) {
                if (!BackupsConfig.valid(asked) || BackupsConfig.parse(asked).isZero()) {
                    findings.add(new Found(ns, object, "backups", Severity.high, RPO_ANNOTATION + " \"" + asked
                            + "\" is not a duration (24h, 30m, 7d): the policy's " + config.rpo() + " applies."));
                } else if (BackupsConfig.parse(asked).compareTo(rpo) > 0) {
                    findings.add(new Found(ns, object, "backups", Severity.low, RPO_ANNOTATION + " " + asked
                            + " is looser than the policy's " + config.rpo() + ", so it is ignored."));
                } else {
                    rpo = BackupsConfig.parse(asked);
                }
            }
            if (noVelero) {
                continue; // said once for the cluster, below
            }
            findings.addAll(judge(ns, object, rpo, severity, schedules, gaps, backupsBySchedule, now));
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
            Map<String, Duration> gaps, Map<String, List<JsonNode>> backups, Instant now) {
        List<Found> found = new ArrayList<>();
        JsonNode best = null;
        List<String> partial = new ArrayList<>();
        for (JsonNode s : schedules) {
            Cover cover = VeleroSchedules.covers(s, ns);
            if (!gaps.containsKey(name(s)) || cover == Cover.NONE) {
                continue;
            }
            if (cover == Cover.PARTIAL) {
                partial.add(name(s));
            } else if (best == null || gaps.get(name(s)).compareTo(gaps.get(name(best))) < 0) {
                best = s;
            }
        }
        String rpoText = human(rpo);
        if (best == null) {
            found.add(new Found(ns, object, "backups", severity, (partial.isEmpty() ? "no Velero Schedule backs up "
                    + "its data" : "only label-selected objects are backed up (Schedule " + String.join(", ", partial)
                    + ")") + ", so a lost volume or namespace cannot be restored. Fix: velero schedule create " + ns
                    + " --include-namespaces " + ns + " --schedule '" + cronFor(rpo) + "' (runs at least every "
                    + rpoText + ", the RPO)."));
            return found;
        }
        Duration gap = gaps.get(name(best));
        if (gap.compareTo(rpo) > 0) {
            found.add(new Found(ns, object, "backups", severity, "Schedule " + name(best) + " ('" + best.path("spec")
                    .path("schedule").asText() + "') leaves up to " + human(gap) + " between backups, more than the RPO "
                    + rpoText + ". Fix: set its schedule to '" + cronFor(rpo) + "'."));
        }
        List<JsonNode> made = backups.getOrDefault(name(best), List.of());
        if (!made.isEmpty()) {
            Instant newest = made.stream().filter(b -> b.path("status").path("phase").asText().equals("Completed"))
                    .map(b -> instant(b.path("status").path("completionTimestamp"))).filter(i -> i != null)
                    .max(Instant::compareTo).orElse(null);
            if (newest == null || Duration.between(newest, now).compareTo(rpo) > 0) {
                found.add(new Found(ns, object, "backups", severity, newest == null ? "Schedule " + name(best)
                        + " has no Completed Backup: nothing to restore from. Fix: see velero backup describe."
                        : "the newest Completed Backup of Schedule " + name(best) + " is " + human(Duration.between(
                                newest, now)) + " old, more than the RPO " + rpoText + ". Fix: see why recent backups did "
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

    /** A cron expression that runs at least every {@code rpo}: hourly steps where they fit, else daily. */
    static String cronFor(Duration rpo) {
        long hours = rpo.toHours();
        if (hours >= 24) {
            return "0 2 * * *";
        }
        if (hours >= 1) {
            long step = java.util.stream.LongStream.rangeClosed(1, hours).filter(h -> 24 % h == 0).max().orElse(1);
            return step == 1 ? "0 * * * *" : "0 */" + step + " * * *";
        }
        long minutes = Math.max(1, rpo.toMinutes());
        long step = java.util.stream.LongStream.rangeClosed(1, minutes).filter(m -> 60 % m == 0).max().orElse(1);
        return step == 1 ? "* * * * *" : "*/" + step + " * * * *";
    }

    static String human(Duration d) {
        if (d.toDays() >= 2) {
            return d.toDays() + "d" + (d.toHoursPart() == 0 ? "" : d.toHoursPart() + "h");
        }
        if (d.toHours() >= 1 && d.toMinutesPart() == 0) {
            return d.toHours() + "h";
        }
        return d.toHours() >= 1 ? d.toHours() + "h" + d.toMinutesPart() + "m" : d.toMinutes() + "m";
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

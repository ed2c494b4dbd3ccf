package dev.haguard.rules.backups;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haguard.rules.backups.VeleroSchedules.Cover;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

/**
 * How a namespace's data is protected: the objectives that apply to it (the policy's, or the stricter ones its
 * annotations ask for) and the Velero Schedule that protects it best. One judgement for admission ({@link BackupsRule})
 * and scan ({@link BackupsStored}).
 */
public final class Protection {

    /** A namespace may ask for a stricter RPO than the policy's, never a looser one. */
    public static final String RPO_ANNOTATION = "haguard.dev/rpo";
    /** A namespace may ask for a stricter RTO than the policy's, never a looser one. */
    public static final String RTO_ANNOTATION = "haguard.dev/rto";

    private Protection() {
    }

    /**
     * The objectives that apply to a namespace.
     *
     * @param rpo the RPO that applies
     * @param rto the RTO that applies; null when neither the policy nor the namespace declares one
     * @param invalid what the namespace's annotations ask that does not parse (the policy's value applies)
     * @param ignored what they ask that is looser than the policy (ignored)
     */
    public record Objective(Duration rpo, Duration rto, List<String> invalid, List<String> ignored) {
    }

    public static Objective objective(BackupsConfig config, Map<String, String> annotations) {
        List<String> invalid = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        Duration rpo = asked(RPO_ANNOTATION, annotations.get(RPO_ANNOTATION), config.rpo(), invalid, ignored);
        Duration rto = asked(RTO_ANNOTATION, annotations.get(RTO_ANNOTATION), config.rto(), invalid, ignored);
        return new Objective(rpo, rto, List.copyOf(invalid), List.copyOf(ignored));
    }

    private static Duration asked(String key, String asked, String policy, List<String> invalid, List<String> ignored) {
        Duration fromPolicy = policy == null ? null : BackupsConfig.parse(policy);
        if (asked == null) {
            return fromPolicy;
        }
        if (!BackupsConfig.valid(asked) || BackupsConfig.parse(asked).isZero()) {
            invalid.add(key + " is \"" + asked + "\", which is not a duration. Fix: write a number and a unit, d, h, m "
                    + "or s, such as " + key + ": 4h" + (policy == null ? "" : " (at most the policy's " + policy + ")"));
            return fromPolicy;
        }
        Duration wanted = BackupsConfig.parse(asked);
        if (fromPolicy != null && wanted.compareTo(fromPolicy) > 0) {
            ignored.add(key + " " + asked + " is looser than the policy's " + (key.equals(RPO_ANNOTATION) ? "RPO " : "RTO ")
                    + policy + ", so it is ignored: a namespace may only ask for a stricter objective");
            return fromPolicy;
        }
        return wanted;
    }

    /**
     * The best protection of a namespace by a set of schedules.
     *
     * @param best the schedule that backs up all of its data most often; null when none does
     * @param gap the longest gap between runs of {@code best}
     * @param partial schedules that back up only label-selected objects of it
     */
    public record Best(JsonNode best, Duration gap, List<String> partial) {

        /** Whether the namespace is backed up in full at least every {@code rpo}. */
        public boolean meets(Duration rpo) {
            return best != null && gap.compareTo(rpo) <= 0;
        }

        public String name() {
            return best == null ? null : VeleroSchedules.name(best);
        }
    }

    /** The best protection of {@code namespace}; a schedule whose cron Velero refuses protects nothing. */
    public static Best best(String namespace, List<JsonNode> schedules) {
        JsonNode best = null;
        Duration bestGap = null;
        List<String> partial = new ArrayList<>();
        for (JsonNode s : schedules) {
            Cover cover = VeleroSchedules.covers(s, namespace);
            Duration gap = cover == Cover.NONE ? null : CronGaps.gapOrNull(s.path("spec").path("schedule").asText());
            if (gap == null) {
                continue;
            }
            if (cover == Cover.PARTIAL) {
                partial.add(VeleroSchedules.name(s));
            } else if (best == null || gap.compareTo(bestGap) < 0) {
                best = s;
                bestGap = gap;
            }
        }
        return new Best(best, bestGap, List.copyOf(partial));
    }

    /** What leaves {@code namespace} short of {@code rpo} under {@code best}, without the fix; null when nothing. */
    public static String shortfall(Best best, Duration rpo) {
        if (best.best() == null) {
            return best.partial().isEmpty() ? "no Velero Schedule backs up its data"
                    : "only label-selected objects are backed up (Schedule " + String.join(", ", best.partial()) + ")";
        }
        if (best.gap().compareTo(rpo) > 0) {
            return "Schedule " + best.name() + " ('" + best.best().path("spec").path("schedule").asText()
                    + "') leaves up to " + human(best.gap()) + " between backups, more than the RPO " + human(rpo);
        }
        return null;
    }

    /**
     * A Schedule, as one line of JSON that kubectl applies as it is, that backs up {@code namespace} at least every
     * {@code rpo}, in Velero's namespace {@code veleroNamespace}.
     */
    public static String scheduleFor(String namespace, Duration rpo, String veleroNamespace) {
        return "{\"apiVersion\":\"velero.io/v1\",\"kind\":\"Schedule\",\"metadata\":{\"name\":\"" + namespace
                + "-backup\",\"namespace\":\"" + veleroNamespace + "\"},\"spec\":{\"schedule\":\"" + cronFor(rpo)
                + "\",\"template\":{\"includedNamespaces\":[\"" + namespace + "\"]}}}";
    }

    /** A cron expression that runs at least every {@code rpo}: hourly steps where they fit, else daily. */
    public static String cronFor(Duration rpo) {
        long hours = rpo.toHours();
        if (hours >= 24) {
            return "0 2 * * *";
        }
        if (hours >= 1) {
            long step = LongStream.rangeClosed(1, hours).filter(h -> 24 % h == 0).max().orElse(1);
            return step == 1 ? "0 * * * *" : "0 */" + step + " * * *";
        }
        long minutes = Math.max(1, rpo.toMinutes());
        long step = LongStream.rangeClosed(1, minutes).filter(m -> 60 % m == 0).max().orElse(1);
        return step == 1 ? "* * * * *" : "*/" + step + " * * * *";
    }

    /** 24h, 3d, 1h30m, 45m: how durations are written in the policy. */
    public static String human(Duration d) {
        if (d.toDays() >= 2) {
            return d.toDays() + "d" + (d.toHoursPart() == 0 ? "" : d.toHoursPart() + "h");
        }
        if (d.toHours() >= 1 && d.toMinutesPart() == 0) {
            return d.toHours() + "h";
        }
        if (d.toHours() >= 1) {
            return d.toHours() + "h" + d.toMinutesPart() + "m";
        }
        return d.toMinutes() >= 1 ? d.toMinutes() + "m" + (d.toSecondsPart() == 0 ? "" : d.toSecondsPart() + "s")
                : d.toSecondsPart() + "s";
    }
}

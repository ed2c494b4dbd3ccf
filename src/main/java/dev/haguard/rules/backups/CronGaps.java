package dev.haguard.rules.backups;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The longest gap between consecutive runs of a Velero schedule: its worst-case data loss. Velero parses
 * {@code spec.schedule} with robfig/cron's ParseStandard (../shared/crds README): five fields, the descriptors
 * {@code @yearly @annually @monthly @weekly @daily @midnight @hourly}, and {@code @every <Go duration>}. Runs are
 * walked in UTC (what a Velero pod runs in unless told otherwise) over two years, so that weekends, month ends and
 * yearly schedules show, or over the first 20,000 runs for a schedule that fires more often than that.
 */
public final class CronGaps {

    private static final CronParser PARSER = new CronParser(unix());
    private static final Pattern EVERY = Pattern.compile("@every\\s+(.+)");
    private static final Pattern GO_DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");
    private static final ZonedDateTime FROM = ZonedDateTime.of(2025, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
    private static final int MAX_RUNS = 20_000;
    /** robfig/cron's descriptors, as its documentation defines them. */
    private static final Map<String, String> DESCRIPTORS = Map.of("@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *",
            "@monthly", "0 0 1 * *", "@weekly", "0 0 * * 0", "@daily", "0 0 * * *", "@midnight", "0 0 * * *",
            "@hourly", "0 * * * *");

    /** Gaps already walked, by expression: the webhook asks about the same few schedules on every request. */
    private static final Map<String, Optional<Duration>> KNOWN = new ConcurrentHashMap<>();
    private static final int KNOWN_MAX = 1_000;

    private CronGaps() {
    }

    /** The longest gap, or null for an expression Velero refuses; remembered. */
    public static Duration gapOrNull(String expression) {
        Optional<Duration> known = KNOWN.get(expression);
        if (known == null) {
            try {
                known = Optional.of(longestGap(expression));
            } catch (IllegalArgumentException e) {
                known = Optional.empty();
            }
            if (KNOWN.size() >= KNOWN_MAX) {
                KNOWN.clear();
            }
            KNOWN.put(expression, known);
        }
        return known.orElse(null);
    }

    /** The longest gap, or an IllegalArgumentException saying why the expression is not one Velero accepts. */
    public static Duration longestGap(String expression) {
        String text = expression == null ? "" : expression.trim();
        Matcher every = EVERY.matcher(text);
        if (every.matches()) {
            return goDuration(every.group(1).trim());
        }
        ExecutionTime times;
        try {
            times = ExecutionTime.forCron(PARSER.parse(DESCRIPTORS.getOrDefault(text.toLowerCase(Locale.ROOT), text)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"" + text + "\" is not a cron expression Velero accepts (five fields, or "
                    + "@daily, @hourly, @every 6h, ...): " + e.getMessage());
        }
        ZonedDateTime until = FROM.plusYears(2);
        Optional<ZonedDateTime> previous = times.nextExecution(FROM);
        Duration longest = Duration.ZERO;
        for (int runs = 0; previous.isPresent() && previous.get().isBefore(until) && runs < MAX_RUNS; runs++) {
            Optional<ZonedDateTime> next = times.nextExecution(previous.get());
            if (next.isEmpty()) {
                break;
            }
            Duration gap = Duration.between(previous.get(), next.get());
            if (gap.compareTo(longest) > 0) {
                longest = gap;
            }
            previous = next;
        }
        if (longest.isZero()) {
            throw new IllegalArgumentException("\"" + text + "\" never fires twice");
        }
        return longest;
    }

    /** Go's time.ParseDuration, as @every takes it: 6h, 1h30m, 90s. */
    static Duration goDuration(String text) {
        Matcher m = GO_DURATION.matcher(text);
        long nanos = 0;
        int end = 0;
        while (m.find() && m.start() == end) {
            double value = Double.parseDouble(m.group(1));
            long unit = switch (m.group(2)) {
                case "h" -> 3_600_000_000_000L;
                case "m" -> 60_000_000_000L;
                case "s" -> 1_000_000_000L;
                case "ms" -> 1_000_000L;
                case "us", "µs" -> 1_000L;
                default -> 1L;
            };
            nanos += (long) (value * unit);
            end = m.end();
        }
        if (end == 0 || end != text.length() || nanos <= 0) {
            throw new IllegalArgumentException("\"@every " + text + "\" needs a Go duration such as 6h or 1h30m");
        }
        return Duration.ofNanos(nanos);
    }

    /** Five fields as robfig/cron reads them (Vixie semantics: day of month OR day of week; CronGapsTest shows it). */
    private static CronDefinition unix() {
        return CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX);
    }
}

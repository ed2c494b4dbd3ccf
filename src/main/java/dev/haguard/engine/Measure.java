package dev.haguard.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A figure in seconds that a rule measures about a namespace in stored state, for metrics and the scan's report:
 * a fixed duration (an objective, a measured restore time), or the age of an instant, which grows until the next scan
 * measures again. The age of what never happened is infinite, so that an alert on "age above objective" fires for it.
 *
 * @param metric the gauge's name, Micrometer style (haguard.backup.age)
 * @param labels besides namespace (the schedule measured); none for most
 * @param duration the figure, or null for an age
 * @param since what the age counts from; null with a null duration for "never"
 */
public record Measure(String metric, String namespace, Map<String, String> labels, Duration duration, Instant since) {

    public static Measure of(String metric, String namespace, Duration duration) {
        return new Measure(metric, namespace, Map.of(), duration, null);
    }

    public static Measure age(String metric, String namespace, Map<String, String> labels, Instant since) {
        return new Measure(metric, namespace, Map.copyOf(labels), null, since);
    }

    /** Its name in Prometheus, as Micrometer writes a gauge in seconds: haguard_backup_age_seconds. */
    public String prometheusName() {
        return metric.replace('.', '_') + "_seconds";
    }

    /** The figure at {@code now}, in seconds. */
    public double seconds(Instant now) {
        if (duration != null) {
            return duration.toMillis() / 1000.0;
        }
        return since == null ? Double.POSITIVE_INFINITY : Duration.between(since, now).toMillis() / 1000.0;
    }
}

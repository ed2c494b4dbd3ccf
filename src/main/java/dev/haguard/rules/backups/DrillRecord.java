package dev.haguard.rules.backups;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haguard.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The last restore drill of a namespace, as {@code ha-guard drill} writes it on the namespace (one annotation, JSON):
 * when, from which Backup, whether the workloads came back, and how long that took (the measured RTO).
 *
 * @param measuredRto from the Restore's creation until every restored workload was ready; null when they never were
 * @param detail why a failed drill failed; empty when it passed
 */
public record DrillRecord(Instant time, String backup, boolean passed, Duration measuredRto, String detail) {

    public static final String ANNOTATION = "haguard.dev/last-drill";

    public String toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("time", time.toString());
        out.put("backup", backup);
        out.put("result", passed ? "passed" : "failed");
        if (measuredRto != null) {
            out.put("rto", Protection.human(measuredRto));
            out.put("rtoSeconds", measuredRto.toSeconds());
        }
        if (!detail.isEmpty()) {
            out.put("detail", detail);
        }
        try {
            return Json.MAPPER.writeValueAsString(out);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The record in an annotation's value; empty when it is not one ha-guard wrote. */
    public static Optional<DrillRecord> parse(String text) {
        try {
            JsonNode n = Json.MAPPER.readTree(text);
            Instant time = Instant.parse(n.path("time").asText());
            String result = n.path("result").asText();
            if (!result.equals("passed") && !result.equals("failed")) {
                return Optional.empty();
            }
            Duration rto = n.path("rtoSeconds").canConvertToLong() ? Duration.ofSeconds(n.path("rtoSeconds").asLong())
                    : null;
            return Optional.of(new DrillRecord(time, n.path("backup").asText(), result.equals("passed"), rto,
                    n.path("detail").asText("")));
        } catch (java.io.IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}

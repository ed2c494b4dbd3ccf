package dev.haguard.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haguard.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Matches ha-guard's audit records with the API server's own audit log (audit.k8s.io/v1 Events, one JSON object per
 * line, as the log backend writes them). Each answer carries the auditAnnotation {@code record} (the review's uid),
 * which the API server files as {@code <webhook name>/record}; the review's uid itself appears nowhere in the event.
 * <ul>
 * <li>A record no event names is forged or replayed, unless an event for the same request (user, verb, resource,
 * namespace, name, within a minute) carries ha-guard's annotations: then it is a repeat call of that request (a
 * mutating webhook's reinvocation), whose annotations the API server discarded: the first value written under a key
 * is the one the event keeps (the key documentation of admissionregistration.k8s.io/v1 AuditAnnotation says so).
 * Records from outside the window the log covers are not judged.</li>
 * <li>An event that names a record the given audit files do not hold is a lost record, or a replica's file not
 * given.</li>
 * </ul>
 * Dry-run requests need nothing special: the API server logs them, with the annotations, like any other.
 */
public final class ApiServerCrossCheck {

    private static final Duration SAME_REQUEST = Duration.ofMinutes(1);

    /** What the two logs say about each other. */
    public record Matches(int events, Instant from, Instant to, int matched, int repeats, int outside,
            List<String> mismatches) {
        public boolean consistent() {
            return mismatches.isEmpty();
        }
    }

    private record Event(String auditId, String user, String operation, String group, String resource,
            String subResource, String namespace, String name, Instant time, Map<String, String> records,
            Map<String, String> decisions) {
        String describe() {
            return operation + " " + (group.isEmpty() ? "" : group + "/") + resource
                    + (subResource.isEmpty() ? "" : "/" + subResource) + " " + (namespace.isEmpty() ? "" : namespace + "/")
                    + name + " by " + user;
        }
    }

    private ApiServerCrossCheck() {
    }

    public static Matches check(List<Path> haGuardFiles, List<Path> apiServerLogs) throws IOException {
        List<Event> events = new ArrayList<>();
        for (Path log : apiServerLogs) {
            lines(log, node -> {
                if ("Event".equals(node.path("kind").asText())) {
                    events.add(event(node));
                }
            });
        }
        List<JsonNode> records = new ArrayList<>();
        for (Path file : haGuardFiles) {
            lines(file, node -> {
                if ("admission".equals(node.path("type").asText())) {
                    records.add(node);
                }
            });
        }
        Instant from = events.stream().map(Event::time).min(Instant::compareTo).orElse(Instant.MAX);
        Instant to = events.stream().map(Event::time).max(Instant::compareTo).orElse(Instant.MIN);
        Map<String, Event> named = new HashMap<>();
        events.forEach(e -> e.records().forEach((webhook, uid) -> named.put(uid, e)));
        Map<String, JsonNode> byUid = new HashMap<>();
        records.forEach(r -> byUid.put(r.path("uid").asText(), r));

        int matched = 0;
        int repeats = 0;
        int outside = 0;
        List<String> mismatches = new ArrayList<>();
        for (JsonNode r : records) {
            String uid = r.path("uid").asText();
            Event e = named.get(uid);
            if (e != null) {
                matched++;
                String webhook = webhookOf(e, uid);
                String said = e.decisions().get(webhook);
                if (said != null && !said.equals(r.path("decision").asText())) {
                    mismatches.add("ha-guard record " + uid + " says " + r.path("decision").asText()
                            + ", the API server's event " + e.auditId() + " says " + webhook + "/decision: " + said);
                }
                continue;
            }
            Instant time = Instant.parse(r.path("time").asText());
            if (time.isBefore(from.minus(SAME_REQUEST)) || time.isAfter(to.plus(SAME_REQUEST))) {
                outside++;
            } else if (events.stream().anyMatch(ev -> sameRequest(ev, r, time))) {
                repeats++;
            } else {
                mismatches.add("ha-guard record " + uid + " (" + r.path("webhook").asText() + ", " + describe(r) + " at "
                        + time + "): no API server event names it or shows that request: forged or replayed");
            }
        }
        for (Event e : events) {
            e.records().forEach((webhook, uid) -> {
                if (!byUid.containsKey(uid)) {
                    mismatches.add("API server event " + e.auditId() + " (" + e.describe() + " at " + e.time() + ") names "
                            + webhook + " record " + uid + ", which the given ha-guard audit files do not hold: a "
                            + "record lost, or the file of the replica that answered not given");
                }
            });
        }
        return new Matches(events.size(), events.isEmpty() ? null : from, events.isEmpty() ? null : to, matched, repeats,
                outside, mismatches);
    }

    private static String webhookOf(Event e, String uid) {
        return e.records().entrySet().stream().filter(x -> x.getValue().equals(uid)).map(Map.Entry::getKey).findFirst()
                .orElse("");
    }

    /** The same request as the record, within a minute, carrying ha-guard's annotations. */
    private static boolean sameRequest(Event e, JsonNode r, Instant time) {
        JsonNode res = r.path("resource");
        return e.user().equals(r.path("user").asText()) && e.operation().equals(r.path("operation").asText())
                && e.group().equals(res.path("group").asText()) && e.resource().equals(res.path("resource").asText())
                && e.subResource().equals(res.path("subResource").asText())
                && e.namespace().equals(r.path("namespace").asText())
                && (e.name().equals(r.path("name").asText()) || r.path("name").asText().endsWith("*"))
                && Duration.between(e.time(), time).abs().compareTo(SAME_REQUEST) <= 0 && !e.decisions().isEmpty();
    }

    private static String describe(JsonNode r) {
        JsonNode res = r.path("resource");
        String group = res.path("group").asText();
        String sub = res.path("subResource").asText();
        String ns = r.path("namespace").asText();
        return r.path("operation").asText() + " " + (group.isEmpty() ? "" : group + "/") + res.path("resource").asText()
                + (sub.isEmpty() ? "" : "/" + sub) + " " + (ns.isEmpty() ? "" : ns + "/") + r.path("name").asText()
                + " by " + r.path("user").asText();
    }

    private static Event event(JsonNode e) {
        Map<String, String> records = new HashMap<>();
        Map<String, String> decisions = new HashMap<>();
        e.path("annotations").properties().forEach(a -> {
            int slash = a.getKey().lastIndexOf('/');
            if (slash > 0 && a.getKey().endsWith("/record")) {
                records.put(a.getKey().substring(0, slash), a.getValue().asText());
            } else if (slash > 0 && a.getKey().endsWith("/decision") && !a.getKey().startsWith("authorization.")) {
                decisions.put(a.getKey().substring(0, slash), a.getValue().asText());
            }
        });
        JsonNode ref = e.path("objectRef");
        return new Event(e.path("auditID").asText(), e.path("user").path("username").asText(),
                operation(e.path("verb").asText()), ref.path("apiGroup").asText(), ref.path("resource").asText(),
                ref.path("subresource").asText(), ref.path("namespace").asText(), ref.path("name").asText(),
                Instant.parse(e.path("requestReceivedTimestamp").asText(e.path("stageTimestamp").asText())), records,
                decisions);
    }

    /** The admission operation an API verb becomes (k8s.io/apiserver's admission attributes). */
    private static String operation(String verb) {
        return switch (verb) {
            case "create" -> "CREATE";
            case "update", "patch" -> "UPDATE";
            case "delete", "deletecollection" -> "DELETE";
            default -> verb.toUpperCase(Locale.ROOT);
        };
    }

    private interface LineConsumer {
        void accept(JsonNode node);
    }

    private static void lines(Path file, LineConsumer each) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    each.accept(Json.MAPPER.readTree(line));
                } catch (IOException e) {
                    throw new IOException(file + ":" + number + ": not a JSON object per line: " + e.getMessage(), e);
                }
            }
        }
    }
}

package dev.haguard.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haguard.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Denials and warnings by rule, namespace and user, every break-glass use, and first of all the requests that were
 * never judged (malformed, refused unread under overload, or answered per onError unevaluated), within a time window;
 * and the restore drills recorded.
 */
public final class AuditSummary {

    private long admissions;
    private long denied;
    private long malformed;
    private long overloaded;
    private long unevaluated;
    private final Map<String, Long> denialsByRule = new TreeMap<>();
    private final Map<String, Long> warningsByRule = new TreeMap<>();
    private final Map<String, Long> auditedByRule = new TreeMap<>();
    private final Map<String, Long> errorsByRule = new TreeMap<>();
    private final Map<String, Long> denialsByNamespace = new TreeMap<>();
    private final Map<String, Long> denialsByUser = new TreeMap<>();
    private final List<String> breakGlass = new ArrayList<>();
    private final List<String> drills = new ArrayList<>();
    private final Map<String, Long> byCaller = new TreeMap<>();
    private final ApiServerIdentity apiServer;
    private long notFromApiServer;

    private AuditSummary(ApiServerIdentity apiServer) {
        this.apiServer = apiServer;
    }

    public static AuditSummary of(List<Path> files, Instant since, Instant until) throws IOException {
        return of(files, since, until, ApiServerIdentity.UNKNOWN);
    }

    /** {@code apiServer}: who the API server is; records from any other caller are counted and flagged. */
    public static AuditSummary of(List<Path> files, Instant since, Instant until, ApiServerIdentity apiServer)
            throws IOException {
        AuditSummary summary = new AuditSummary(apiServer);
        for (Path file : files) {
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String line;
                while ((line = in.readLine()) != null) {
                    summary.add(line, since, until);
                }
            }
        }
        return summary;
    }

    private void add(String line, Instant since, Instant until) {
        JsonNode r;
        try {
            r = Json.MAPPER.readTree(line);
        } catch (IOException e) {
            return;
        }
        String type = r == null ? "" : r.path("type").asText();
        if (!List.of("admission", "malformed", "overloaded", "drill").contains(type)) {
            return;
        }
        Instant time = Instant.parse(r.path("time").asText());
        if (since != null && time.isBefore(since) || until != null && !time.isBefore(until)) {
            return;
        }
        if (type.equals("drill")) { // written by ha-guard drill, not by a webhook call: it has no caller
            drills.add(r.path("time").asText() + "  " + r.path("namespace").asText() + "  " + r.path("decision").asText()
                    + (r.has("rtoSeconds") ? "  RTO " + r.path("rtoSeconds").asLong() + " s" : "")
                    + (r.has("declaredRtoSeconds") ? " (declared " + r.path("declaredRtoSeconds").asLong() + " s)" : "")
                    + "  backup " + r.path("backup").asText() + (r.has("message") ? "  " + r.path("message").asText()
                    : ""));
            return;
        }
        caller(r.path("caller"));
        if (type.equals("malformed")) {
            malformed++;
            return;
        }
        if (type.equals("overloaded")) {
            overloaded++;
            return;
        }
        admissions++;
        boolean deny = "denied".equals(r.path("decision").asText());
        if (deny) {
            denied++;
            count(denialsByNamespace, r.path("namespace").asText().isEmpty() ? "(cluster)" : r.path("namespace").asText());
            count(denialsByUser, r.path("user").asText());
        }
        for (JsonNode rule : r.path("rules")) {
            String name = rule.path("rule").asText();
            switch (rule.path("outcome").asText()) {
                case "deny" -> count(denialsByRule, name);
                case "warn" -> count(warningsByRule, name);
                case "audit" -> count(auditedByRule, name);
                case "error" -> {
                    count(errorsByRule, name);
                    if (name.equals("engine")) {
                        unevaluated++;
                    }
                }
                default -> { }
            }
        }
        if (r.path("breakGlass").asBoolean()) {
            List<String> bypassed = new ArrayList<>();
            r.path("rules").forEach(rule -> {
                if ("deny".equals(rule.path("outcome").asText())) {
                    bypassed.add(rule.path("rule").asText());
                }
            });
            breakGlass.add(r.path("time").asText() + "  " + r.path("user").asText() + "  " + r.path("operation").asText()
                    + " " + r.path("kind").asText() + " " + r.path("namespace").asText() + "/" + r.path("name").asText()
                    + "  bypassed " + String.join(",", bypassed) + "  uid " + r.path("uid").asText());
        }
    }

    private void caller(JsonNode caller) {
        if (caller.isMissingNode()) {
            count(byCaller, "(caller not recorded: a record from before ha-guard recorded callers)");
            return;
        }
        String address = caller.path("address").asText();
        String subject = caller.hasNonNull("subject") ? caller.path("subject").asText() : null;
        boolean apiServerCall = apiServer.matches(address, subject);
        if (apiServer.known() && !apiServerCall) {
            notFromApiServer++;
        }
        count(byCaller, (address.isEmpty() ? "(no address)" : address) + "  " + (subject == null ? "(no client certificate)"
                : subject) + (apiServer.known() && !apiServerCall ? "  NOT THE API SERVER" : ""));
    }

    /** Records whose caller matches neither the API server's subjects nor its addresses, when those are given. */
    public long notFromApiServer() {
        return notFromApiServer;
    }

    private static void count(Map<String, Long> counts, String key) {
        counts.merge(key, 1L, Long::sum);
    }

    public long admissions() {
        return admissions;
    }

    public long denied() {
        return denied;
    }

    public Map<String, Long> denialsByRule() {
        return denialsByRule;
    }

    public Map<String, Long> warningsByRule() {
        return warningsByRule;
    }

    public Map<String, Long> denialsByNamespace() {
        return denialsByNamespace;
    }

    public Map<String, Long> denialsByUser() {
        return denialsByUser;
    }

    public List<String> breakGlass() {
        return breakGlass;
    }

    /** Requests answered without any rule judging them: the API server or onError decided. */
    public long unjudged() {
        return malformed + overloaded + unevaluated;
    }

    public void print(PrintWriter out, String window) {
        out.printf("%d admissions %s, %d denied%n", admissions, window, denied);
        out.printf("%s%d request(s) never judged by a rule: %d malformed (answered 400), %d overloaded (refused "
                + "unread with 503), %d answered unevaluated per the policy's onError (shed or internal error)%n",
                unjudged() > 0 ? "UNJUDGED: " : "", unjudged(), malformed, overloaded, unevaluated);
        if (malformed + overloaded > 0) {
            out.println("  the API server applied the webhook's failurePolicy to the malformed and overloaded ones: "
                    + "with Ignore they were admitted unchecked");
        }
        if (apiServer.known()) {
            out.printf("%s%d record(s) from callers that are not the API server as given (subjects %s, addresses %s)%n",
                    notFromApiServer > 0 ? "NOT FROM THE API SERVER: " : "", notFromApiServer, apiServer.subjects(),
                    apiServer.addresses());
        }
        table(out, "records by caller (address, verified client certificate)", byCaller);
        if (!apiServer.known()) {
            out.println("  (give --apiserver-subject or --apiserver-address to flag callers that are not the API server)");
        }
        table(out, "denials by rule", denialsByRule);
        table(out, "warnings by rule", warningsByRule);
        table(out, "audit-only findings by rule", auditedByRule);
        table(out, "internal errors by rule", errorsByRule);
        table(out, "denials by namespace", denialsByNamespace);
        table(out, "denials by user", denialsByUser);
        out.printf("%nbreak-glass use: %d%n", breakGlass.size());
        breakGlass.forEach(b -> out.println("  " + b));
        if (!drills.isEmpty()) {
            out.printf("%nrestore drills: %d%n", drills.size());
            drills.forEach(d -> out.println("  " + d));
        }
        out.flush();
    }

    private static void table(PrintWriter out, String title, Map<String, Long> counts) {
        out.printf("%n%s:%n", title);
        if (counts.isEmpty()) {
            out.println("  (none)");
        }
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                .thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> out.printf("  %6d  %s%n", e.getValue(), e.getKey()));
    }
}

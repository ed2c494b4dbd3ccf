package dev.haguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haguard.audit.AuditRecords;
import dev.haguard.audit.Caller;
import dev.haguard.audit.AuditTrail;
import dev.haguard.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditCommandTest {

    @TempDir
    Path dir;

    private static AuditRun audit(String... args) {
        return AuditRun.of(args);
    }

    private Path trail() throws Exception {
        Path file = dir.resolve("audit.log");
        try (AuditTrail trail = new AuditTrail(line -> { }, file, 1 << 20, 2)) {
            trail.append(record("2026-11-20T10:00:00Z", "shop", "alice", "denied", false, "minReplicas", "deny"));
            trail.append(record("2026-11-21T10:00:00Z", "shop", "bob", "denied", false, "imageReferences", "deny"));
            trail.append(record("2026-11-21T11:00:00Z", "dev", "carol", "allowed", false, "minReplicas", "warn"));
            trail.append(record("2026-11-21T12:00:00Z", "prod", "oncall", "allowed", true, "minReplicas", "deny"));
        }
        return file;
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode record(String time, String ns, String user,
            String decision, boolean breakGlass, String rule, String outcome) {
        var r = Json.MAPPER.createObjectNode().put("type", "admission").put("time", time).put("uid", "u-" + user)
                .put("user", user).put("operation", "CREATE").put("kind", "Deployment").put("namespace", ns)
                .put("name", "web").put("decision", decision).put("breakGlass", breakGlass);
        r.putArray("rules").addObject().put("rule", rule).put("mode", "enforce").put("outcome", outcome);
        return r;
    }

    @Test
    void verify_passes_an_intact_file_and_fails_a_tampered_one() throws Exception {
        Path file = trail();
        assertThat(audit("verify", file.toString()).out()).contains("OK: 5 records, 1 chain start(s)");

        List<String> lines = Files.readAllLines(file);
        lines.set(1, lines.get(1).replace("alice", "mallory"));
        Files.write(file, lines);

        AuditRun broken = audit("verify", file.toString());
        assertThat(broken.exit()).isEqualTo(AuditCommand.BROKEN);
        assertThat(broken.out()).contains("BROKEN:", "audit.log:3", "was edited");
        assertThat(audit("verify", dir.resolve("nope.log").toString()).exit()).isEqualTo(AuditCommand.UNUSABLE);
    }

    @Test
    void a_file_that_is_no_audit_file_is_unusable_input_and_a_damaged_line_later_is_a_broken_chain() throws Exception {
        Path manifest = Files.writeString(dir.resolve("deployment.yaml"), "apiVersion: apps/v1\nkind: Deployment\n");
        Path empty = Files.writeString(dir.resolve("empty.log"), "");

        for (Path notAudit : List.of(manifest, empty)) {
            AuditRun run = audit("verify", notAudit.toString());
            assertThat(run.exit()).as(notAudit.toString()).isEqualTo(AuditCommand.UNUSABLE);
            assertThat(run.err()).contains("audit verify: " + notAudit);
        }
        Path file = trail();
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(file));
        lines.set(2, "garbage");
        Files.write(file, lines);
        AuditRun damaged = audit("verify", file.toString());
        assertThat(damaged.exit()).isEqualTo(AuditCommand.BROKEN);
        assertThat(damaged.out()).contains("audit.log:3: not an audit record (not JSON): the file was damaged");
    }

    @Test
    void summary_counts_by_rule_namespace_and_user_and_lists_break_glass_in_a_window() throws Exception {
        Path file = trail();

        AuditRun all = audit("summary", file.toString());
        assertThat(all.exit()).isZero();
        assertThat(all.out()).contains("4 admissions in all records, 2 denied", "denials by rule:", "2  minReplicas",
                "1  imageReferences", "warnings by rule:", "break-glass use: 1", "oncall  CREATE Deployment prod/web  "
                        + "bypassed minReplicas");

        AuditRun window = audit("summary", "--since", "2026-11-21T00:00:00Z", "--until", "2026-11-21T11:30:00Z", file.toString());
        assertThat(window.out()).contains("2 admissions from 2026-11-21T00:00:00Z until 2026-11-21T11:30:00Z, 1 denied",
                "1  bob", "break-glass use: 0").doesNotContain("alice");

        assertThat(audit("summary", "--since", "yesterday", file.toString()).exit()).isEqualTo(AuditCommand.UNUSABLE);
    }

    @Test
    void summary_counts_first_the_requests_no_rule_judged() throws Exception {
        Path file = dir.resolve("unjudged.log");
        try (AuditTrail trail = new AuditTrail(line -> { }, file, 1 << 20, 2)) {
            trail.append(record("2026-11-21T10:00:00Z", "shop", "alice", "denied", false, "minReplicas", "deny"));
            trail.append(AuditRecords.malformed("/validate", "body is not valid JSON at line 1, column 9", Caller.UNKNOWN));
            trail.append(AuditRecords.overloaded("/mutate", 503, "ha-guard is at its memory budget", Caller.UNKNOWN));
            trail.append(AuditRecords.overloaded("/mutate", 503, "ha-guard is at its memory budget", Caller.UNKNOWN));
            trail.append(record("2026-11-21T10:00:02Z", "shop", "bob", "allowed", false, "engine", "error"));
        }

        AuditRun summary = audit("summary", file.toString());

        assertThat(summary.out().lines().limit(3)).containsExactly("2 admissions in all records, 1 denied",
                "UNJUDGED: 4 request(s) never judged by a rule: 1 malformed (answered 400), 2 overloaded (refused unread "
                        + "with 503), 1 answered unevaluated per the policy's onError (shed or internal error)",
                "  the API server applied the webhook's failurePolicy to the malformed and overloaded ones: with Ignore "
                        + "they were admitted unchecked");
        assertThat(audit("summary", trail().toString()).out()).contains("0 request(s) never judged by a rule")
                .doesNotContain("UNJUDGED");
    }
}

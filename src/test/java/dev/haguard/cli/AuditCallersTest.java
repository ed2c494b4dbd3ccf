package dev.haguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haguard.audit.AuditTrail;
import dev.haguard.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who called, and whether each decision matches a real API server request: audit summary by caller, and audit verify
 * against the API server's own audit log (src/test/resources/apiserver-audit: real events from a kube-apiserver
 * v1.34, copied from ../shared/fixtures, to which these tests add the record annotation ha-guard now returns).
 */
class AuditCallersTest {

    @TempDir
    Path dir;

    private static AuditRun audit(String... args) {
        return AuditRun.of(args);
    }

    /** The recorded events, each ha-guard webhook's annotations completed with record: rec-LINE-WEBHOOK. */
    private static List<ObjectNode> events() throws Exception {
        List<ObjectNode> events = new ArrayList<>();
        int line = 0;
        for (String text : Files.readAllLines(Path.of("src/test/resources/apiserver-audit/events.jsonl"))) {
            line++;
            ObjectNode event = (ObjectNode) Json.MAPPER.readTree(text);
            ObjectNode annotations = (ObjectNode) event.path("annotations");
            for (String key : List.copyOf(iterable(annotations))) {
                if (key.endsWith(".ha-guard.dev/decision")) {
                    String webhook = key.substring(0, key.indexOf('/'));
                    annotations.put(webhook + "/record", "rec-" + line + "-" + webhook);
                }
            }
            events.add(event);
        }
        return events;
    }

    private static List<String> iterable(ObjectNode node) {
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    /** ha-guard's record of each call an event names, as the webhook wrote it. */
    private static List<ObjectNode> records(List<ObjectNode> events) {
        List<ObjectNode> records = new ArrayList<>();
        for (JsonNode e : events) {
            for (String key : iterable((ObjectNode) e.path("annotations"))) {
                if (key.endsWith("/record")) {
                    String webhook = key.substring(0, key.indexOf('/'));
                    records.add(record(e, e.path("annotations").path(key).asText(), webhook.startsWith("mutate")
                            ? "mutate" : "validate", e.path("annotations").path(webhook + "/decision").asText()));
                }
            }
        }
        return records;
    }

    private static ObjectNode record(JsonNode event, String uid, String webhook, String decision) {
        JsonNode ref = event.path("objectRef");
        ObjectNode r = Json.MAPPER.createObjectNode().put("type", "admission")
                .put("time", event.path("requestReceivedTimestamp").asText()).put("uid", uid);
        r.putObject("caller").put("address", "10.0.0.2").put("subject", "CN=kube-apiserver,O=system");
        r.put("user", event.path("user").path("username").asText())
                .put("operation", event.path("verb").asText().equals("create") ? "CREATE" : "UPDATE");
        r.putObject("resource").put("group", ref.path("apiGroup").asText()).put("version", ref.path("apiVersion").asText())
                .put("resource", ref.path("resource").asText()).put("subResource", ref.path("subresource").asText());
        r.put("namespace", ref.path("namespace").asText()).put("name", ref.path("name").asText())
                .put("webhook", webhook).put("decision", decision);
        r.putArray("rules");
        return r;
    }

    private Path write(String name, List<ObjectNode> records) throws Exception {
        Path file = dir.resolve(name);
        try (AuditTrail trail = new AuditTrail(line -> { }, file, 1 << 20, 2)) {
            records.forEach(trail::append);
        }
        return file;
    }

    private Path log(List<ObjectNode> events) throws Exception {
        Path file = dir.resolve("kube-apiserver-audit.log");
        List<String> lines = new ArrayList<>();
        for (ObjectNode e : events) {
            lines.add(Json.MAPPER.writeValueAsString(e));
        }
        return Files.write(file, lines);
    }

    @Test
    void every_decision_matches_an_api_server_event_including_dry_run() throws Exception {
        List<ObjectNode> events = events();

        AuditRun run = audit("verify", write("audit.log", records(events)).toString(), "--apiserver-audit-log",
                log(events).toString());

        assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(AuditCommand.OK);
        assertThat(run.out()).contains("API server audit log: 7 events", "12 decisions matched")
                .doesNotContain("MISMATCH");
    }

    @Test
    void a_forged_record_and_a_lost_one_are_both_reported() throws Exception {
        List<ObjectNode> events = events();
        List<ObjectNode> records = new ArrayList<>(records(events));
        ObjectNode forged = record(events.get(6), "forged-1", "validate", "allowed").put("user", "system:anonymous")
                .put("name", "made-up");
        records.add(forged);
        Predicate<ObjectNode> dryRunValidate = r -> r.path("uid").asText().equals("rec-2-validate.ha-guard.dev");
        records.removeIf(dryRunValidate);

        AuditRun run = audit("verify", write("audit.log", records).toString(), "--apiserver-audit-log", log(events).toString());

        assertThat(run.exit()).isEqualTo(AuditCommand.BROKEN);
        assertThat(run.out()).contains("OK: 13 records", "MISMATCH: ha-guard record forged-1 (validate, CREATE "
                        + "apps/deployments shop/made-up by system:anonymous", "forged or replayed")
                .contains("MISMATCH: API server event 088fbbb7-0f1c-44bc-a168-fe0587cb7420 (CREATE apps/deployments "
                        + "shop/lonely by lab-admin", "names validate.ha-guard.dev record rec-2-validate.ha-guard.dev",
                        "a record lost");
    }

    @Test
    void a_mutating_reinvocation_is_a_repeat_call_not_a_forgery() throws Exception {
        List<ObjectNode> events = events();
        List<ObjectNode> records = new ArrayList<>(records(events));
        records.add(record(events.get(2), "reinvoked-1", "mutate", "allowed"));

        AuditRun run = audit("verify", write("audit.log", records).toString(), "--apiserver-audit-log", log(events).toString());

        assertThat(run.exit()).as(run.out()).isEqualTo(AuditCommand.OK);
        assertThat(run.out()).contains("1 repeat calls of a matched request");
    }

    @Test
    void a_decision_that_differs_from_the_api_servers_annotation_is_reported() throws Exception {
        List<ObjectNode> events = events();
        List<ObjectNode> records = new ArrayList<>(records(events));
        records.get(1).put("decision", "allowed");

        AuditRun run = audit("verify", write("audit.log", records).toString(), "--apiserver-audit-log", log(events).toString());

        assertThat(run.exit()).isEqualTo(AuditCommand.BROKEN);
        assertThat(run.out()).contains("says allowed, the API server's event");
    }

    @Test
    void summary_groups_by_caller_and_flags_what_is_not_the_api_server() throws Exception {
        List<ObjectNode> records = new ArrayList<>(records(events()));
        ObjectNode forged = records.get(0).deepCopy().put("uid", "forged-1");
        forged.putObject("caller").put("address", "10.244.3.17");
        records.add(forged);
        Path file = write("audit.log", records);

        AuditRun flagged = audit("summary", "--apiserver-subject", "CN=kube-apiserver, O=system", file.toString());
        AuditRun byAddress = audit("summary", "--apiserver-address", "10.0.0.0/24", file.toString());
        AuditRun plain = audit("summary", file.toString());

        assertThat(flagged.out()).contains("NOT FROM THE API SERVER: 1 record(s)",
                "12  10.0.0.2  CN=kube-apiserver,O=system", "1  10.244.3.17  (no client certificate)  NOT THE API SERVER");
        assertThat(byAddress.out()).contains("NOT FROM THE API SERVER: 1 record(s)");
        assertThat(plain.out()).doesNotContain("NOT THE API SERVER").contains("give --apiserver-subject");
        assertThat(audit("summary", "--apiserver-address", "10.0.0/33", file.toString()).exit())
                .isEqualTo(AuditCommand.UNUSABLE);
    }
}

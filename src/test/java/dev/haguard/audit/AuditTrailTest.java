package dev.haguard.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haguard.Fixtures;
import dev.haguard.Policies;
import dev.haguard.engine.Admission;
import dev.haguard.engine.Webhook;
import dev.haguard.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditTrailTest {

    @TempDir
    Path dir;

    private Path write(int records, long maxBytes) throws IOException {
        Path file = dir.resolve("audit.log");
        List<String> stream = new ArrayList<>();
        try (AuditTrail trail = new AuditTrail(stream::add, file, maxBytes, 3)) {
            for (int i = 0; i < records; i++) {
                trail.append(Json.MAPPER.createObjectNode().put("type", "admission").put("uid", "u" + i));
            }
        }
        return file;
    }

    private List<String> lines(Path file) throws IOException {
        return new ArrayList<>(Files.readAllLines(file));
    }

    @Test
    void an_untouched_file_verifies_and_starts_a_visible_chain() throws IOException {
        Path file = write(5, 1 << 20);

        AuditVerifier.ChainReport report = AuditVerifier.verify(List.of(file));

        assertThat(report.intact()).isTrue();
        assertThat(report.records()).isEqualTo(6);
        assertThat(report.chains()).isEqualTo(1);
        assertThat(lines(file).get(0)).contains("\"type\":\"chain-start\"", "\"prev\":\"" + Chain.GENESIS + "\"");
    }

    @Test
    void an_edited_record_is_reported_at_the_record_after_it() throws IOException {
        Path file = write(5, 1 << 20);
        List<String> lines = lines(file);
        lines.set(2, lines.get(2).replace("\"u1\"", "\"u9\""));
        Files.write(file, lines);

        assertThat(AuditVerifier.verify(List.of(file)).problem())
                .contains("audit.log:4", "(seq 3)", "audit.log:3", "was edited");
    }

    @Test
    void a_removed_record_is_reported_as_missing() throws IOException {
        Path file = write(5, 1 << 20);
        List<String> lines = lines(file);
        lines.remove(3);
        Files.write(file, lines);

        assertThat(AuditVerifier.verify(List.of(file)).problem()).contains("records seq 3 are missing");
    }

    @Test
    void reordered_records_are_reported() throws IOException {
        Path file = write(5, 1 << 20);
        List<String> lines = lines(file);
        lines.add(2, lines.remove(3));
        Files.write(file, lines);

        assertThat(AuditVerifier.verify(List.of(file)).problem()).contains("missing");
        lines = lines(file);
        String moved = lines.remove(4);
        lines.add(moved);
        Files.write(file, lines);
        assertThat(AuditVerifier.verify(List.of(file)).intact()).isFalse();
    }

    @Test
    void rotation_keeps_one_chain_across_files_with_a_visible_marker() throws IOException {
        Path file = write(40, 600);
        Path older = dir.resolve("audit.log.1");
        Path oldest = dir.resolve("audit.log.2");

        assertThat(Files.exists(dir.resolve("audit.log.4"))).as("only three old files are kept").isFalse();
        AuditVerifier.ChainReport all = AuditVerifier.verify(List.of(dir.resolve("audit.log.3"), oldest, older, file));
        assertThat(all.intact()).as(all.problem()).isTrue();
        assertThat(all.rotations()).isGreaterThanOrEqualTo(3);
        assertThat(lines(file).get(0)).contains("\"type\":\"file-rotation\"", "\"previousFile\":\"audit.log.1\"");
        AuditVerifier.ChainReport alone = AuditVerifier.verify(List.of(file));
        assertThat(alone.notes()).singleElement().asString().contains("continues a chain from an earlier file");
        assertThat(AuditVerifier.verify(List.of(older, file)).intact()).isTrue();
        assertThat(AuditVerifier.verify(List.of(file, older)).intact()).as("files in the wrong order").isFalse();
    }

    @Test
    void records_carry_metadata_and_decisions_never_secret_or_configmap_data() throws IOException {
        for (String fixture : List.of("secret-update.validating.json", "configmap-update.validating.json",
                "configmap-update-marked-immutable.validating.json", "configmap-create-marked-immutable.mutating.json")) {
            Admission a = Fixtures.admission(fixture);
            var decision = Policies.run(a, Policies.DEFAULT, Fixtures.webhook(fixture));
            String line = Json.MAPPER.writeValueAsString(AuditRecords.admission(Fixtures.webhook(fixture), a, decision,
                    Json.MAPPER.createObjectNode(), 1_000, true, Caller.UNKNOWN));

            assertThat(line).contains("\"uid\":\"" + a.uid() + "\"", "\"kind\":\"" + a.kind() + "\"")
                    .doesNotContain("bjN3LXMzY3IzdA==", "czNjcjN0LXZhbHVl", "n3w-s3cr3t", "s3cr3t-value",
                            "\"LOG_LEVEL\":", "\"debug\"", "\"info\"", "last-applied-configuration", "\"data\"");
        }
    }

    @Test
    void an_admission_record_has_every_field_a_reviewer_filters_on() throws IOException {
        Admission a = Fixtures.admission("deployment-create-replicas-omitted-latest-tag.validating.json");
        var d = Policies.run(a, Policies.DEFAULT, Webhook.VALIDATE);

        var r = AuditRecords.admission(Webhook.VALIDATE, a, d,
                Json.MAPPER.createObjectNode().put("digest", "sha256:x"), 2_500_000, false,
                new Caller("10.0.0.7", "CN=kube-apiserver,O=system"));

        assertThat(r.fieldNames()).toIterable().contains("time", "uid", "user", "groups", "operation", "resource", "kind",
                "namespace", "name", "dryRun", "webhook", "policy", "scope", "rules", "decision", "message", "warnings",
                "patchPaths", "breakGlass", "durationMs", "caller");
        assertThat(r.path("caller").path("address").asText()).isEqualTo("10.0.0.7");
        assertThat(r.path("caller").path("subject").asText()).isEqualTo("CN=kube-apiserver,O=system");
        assertThat(r.path("decision").asText()).isEqualTo("denied");
        assertThat(r.path("durationMs").asDouble()).isEqualTo(2.5);
        assertThat(r.path("rules").findValuesAsText("outcome")).contains("deny");
        assertThat(r.path("rules").findValuesAsText("rule")).doesNotContain("placement", "immutablePods");
        assertThat(r.path("notCovered")).extracting(JsonNode::asText).contains("placement", "immutablePods");

        var full = AuditRecords.admission(Webhook.VALIDATE, a, d, Json.MAPPER.createObjectNode(), 1, true, Caller.UNKNOWN);
        assertThat(full.has("notCovered")).isFalse();
        assertThat(full.path("rules")).filteredOn(rule -> rule.path("rule").asText().equals("placement")).singleElement()
                .satisfies(rule -> assertThat(rule.path("reason").asText()).isEqualTo("judged only by the scan, from "
                        + "what is stored"));
    }
}

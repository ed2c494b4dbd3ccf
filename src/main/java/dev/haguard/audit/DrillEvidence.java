package dev.haguard.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haguard.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks the restore drills' records in audit files against a public key: each must carry an attestation that key
 * signed, whose statement is about the Backup the record names, and whose predicate is the record's evidence as
 * written. The hash chain says no record was removed or reordered; the signature says who vouched for the evidence,
 * which the chain alone cannot (anyone who can write the file can compute its hashes again).
 *
 * @param drills drill records read
 * @param problems one line per drill record that is unsigned or does not verify, naming where it is
 */
public record DrillEvidence(int drills, List<String> problems) {

    public boolean verified() {
        return problems.isEmpty();
    }

    public static DrillEvidence verify(List<Path> files, PublicKey key) throws IOException {
        int drills = 0;
        List<String> problems = new ArrayList<>();
        for (Path file : files) {
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String line;
                int n = 0;
                while ((line = in.readLine()) != null) {
                    n++;
                    if (line.isBlank()) {
                        continue;
                    }
                    JsonNode record = Json.MAPPER.readTree(line);
                    if (!record.path("type").asText().equals("drill")) {
                        continue;
                    }
                    drills++;
                    String problem = problem(record, key);
                    if (problem != null) {
                        problems.add(file + ":" + n + " (drill of " + record.path("namespace").asText() + " at "
                                + record.path("time").asText() + "): " + problem);
                    }
                }
            }
        }
        return new DrillEvidence(drills, List.copyOf(problems));
    }

    private static String problem(JsonNode record, PublicKey key) {
        if (!record.has("attestation")) {
            return "unsigned (drill ran without --signing-key)";
        }
        JsonNode statement;
        try {
            statement = Attestation.verified(record.path("attestation"), key);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        JsonNode predicate = statement.path("predicate");
        if (!predicate.equals(record.path("evidence"))) {
            return "the record's evidence differs from what was signed: it was edited after signing";
        }
        if (!predicate.path("namespace").asText().equals(record.path("namespace").asText())
                || !predicate.path("result").asText().equals(record.path("decision").asText())
                || !predicate.path("backup").path("name").asText().equals(record.path("backup").asText())) {
            return "the record's namespace, decision or backup differs from what was signed: it was edited after signing";
        }
        return null;
    }
}

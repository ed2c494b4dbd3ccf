package dev.haguard.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haguard.json.Json;
import dev.haguard.json.Sha256;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks audit files, oldest first, against the hash chain: every record's {@code prev} is the SHA-256 of the
 * line before it and its {@code seq} one more, except where a chain starts (process start). Reports the first
 * record that does not fit. The newest record is vouched for by nothing after it: keep files where they are
 * shipped on as they are written.
 */
public final class AuditVerifier {

    /**
     * The verdict: {@code problem} is null when the chain holds; {@code notes} say where chains start or continue;
     * {@code unusable} when a file is no audit file at all (empty, or its first line is no record), which says
     * nothing about tampering.
     */
    public record ChainReport(long records, int chains, int rotations, String problem, List<String> notes, boolean unusable) {

        ChainReport(long records, int chains, int rotations, String problem, List<String> notes) {
            this(records, chains, rotations, problem, notes, false);
        }

        public boolean intact() {
            return problem == null;
        }
    }

    private AuditVerifier() {
    }

    public static ChainReport verify(List<Path> files) throws IOException {
        long records = 0;
        int chains = 0;
        int rotations = 0;
        List<String> notes = new ArrayList<>();
        String lastHash = null;
        long lastSeq = -1;
        String lastWhere = null;
        for (Path file : files) {
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String line;
                int n = 0;
                long before = records;
                while ((line = in.readLine()) != null) {
                    n++;
                    String where = file + ":" + n;
                    if (line.isBlank()) {
                        continue;
                    }
                    JsonNode record;
                    try {
                        record = Json.MAPPER.readTree(line);
                    } catch (IOException e) {
                        return new ChainReport(records, chains, rotations, where + ": not an audit record (not JSON)" + what(
                                records == before), notes, records == before);
                    }
                    if (!record.path("seq").canConvertToLong() || !record.path("prev").isTextual()) {
                        return new ChainReport(records, chains, rotations, where + ": not an audit record (no seq or prev)"
                                + what(records == before), notes, records == before);
                    }
                    long seq = record.path("seq").asLong();
                    String prev = record.path("prev").asText();
                    String type = record.path("type").asText();
                    if (type.equals(Chain.START)) {
                        if (!prev.equals(Chain.GENESIS) || seq != 0) {
                            return new ChainReport(records, chains, rotations, where + ": a chain-start record must have seq 0 "
                                    + "and prev " + Chain.GENESIS + "; this one was altered", notes);
                        }
                        chains++;
                        notes.add(where + ": chain starts (process start, pid " + record.path("pid").asText() + ")");
                    } else if (lastHash == null) {
                        notes.add(where + ": continues a chain from an earlier file (seq " + seq + "); name that file "
                                + "first to check the link");
                    } else {
                        String broken = link(seq, prev, lastSeq, lastHash, lastWhere);
                        if (broken != null) {
                            return new ChainReport(records, chains, rotations, where + " (seq " + seq + "): " + broken, notes);
                        }
                    }
                    if (type.equals(Chain.ROTATION)) {
                        rotations++;
                    }
                    records++;
                    lastHash = Sha256.hex(line);
                    lastSeq = seq;
                    lastWhere = where;
                }
                if (records == before) {
                    return new ChainReport(records, chains, rotations, file + ": holds no audit record", notes, true);
                }
            }
        }
        return new ChainReport(records, chains, rotations, null, notes);
    }

    /** Said of a line that is no record: the first of a file means no audit file, a later one a damaged file. */
    private static String what(boolean first) {
        return first ? ": not an audit file" : ": the file was damaged or edited here";
    }

    private static String link(long seq, String prev, long lastSeq, String lastHash, String lastWhere) {
        if (seq > lastSeq + 1) {
            return "records seq " + (lastSeq + 1) + (seq - 1 > lastSeq + 1 ? " to " + (seq - 1) : "")
                    + " are missing after " + lastWhere;
        }
        if (seq <= lastSeq) {
            return "out of order: seq " + seq + " follows seq " + lastSeq + " (" + lastWhere + "); records were reordered "
                    + "or repeated";
        }
        if (!prev.equals(lastHash)) {
            return "prev does not match the SHA-256 of the record before it (" + lastWhere + "): that record was edited";
        }
        return null;
    }
}

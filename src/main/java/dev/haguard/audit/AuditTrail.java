package dev.haguard.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haguard.json.Json;
import dev.haguard.json.Sha256;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Seals audit records into the hash chain and writes each as one line to every sink, in chain order.
 * One lock covers sealing and writing, so concurrent admissions never interleave or reorder lines.
 */
public final class AuditTrail implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AuditTrail.class);
    /** Room for seq and prev, which are added after the size check. */
    private static final int SEAL_BYTES = 100;

    private final Consumer<String> stream;
    private final RotatingFile file;
    private long seq;
    private String prev = Chain.GENESIS;

    /**
     * @param stream where every line goes (the audit logger category)
     * @param file the optional rotating file, or null
     */
    public AuditTrail(Consumer<String> stream, Path file, long maxFileBytes, int keepFiles) throws IOException {
        this.stream = stream;
        this.file = file == null ? null : new RotatingFile(file, maxFileBytes, keepFiles);
        ObjectNode start = Json.MAPPER.createObjectNode().put("type", Chain.START).put("time", Instant.now().toString())
                .put("reason", "process start").put("pid", ProcessHandle.current().pid());
        append(start);
    }

    /** Adds {@code seq} and {@code prev}, and writes the record. */
    public synchronized void append(ObjectNode record) {
        try {
            if (file != null && file.full(Json.MAPPER.writeValueAsBytes(record).length + SEAL_BYTES)) {
                Path rotated = file.rotate();
                emit(seal(Json.MAPPER.createObjectNode().put("type", Chain.ROTATION).put("time", Instant.now().toString())
                        .put("previousFile", rotated.getFileName().toString())));
            }
            emit(seal(record));
        } catch (IOException e) {
            LOG.errorf("audit file %s could not be written: %s", file, e.getMessage());
        }
    }

    /** Builds and seals the line as {@link #append} would, and writes nothing: the warm-up's rehearsal. */
    public void rehearse(ObjectNode record) {
        try {
            Sha256.hex(line(0, record, ""));
        } catch (JsonProcessingException e) {
            LOG.debugf("rehearsal record could not be written: %s", e.getMessage());
        }
    }

    private String seal(ObjectNode record) throws JsonProcessingException {
        String line = line(seq, record, prev);
        seq++;
        prev = Sha256.hex(line);
        return line;
    }

    private static String line(long seq, ObjectNode record, String prev) throws JsonProcessingException {
        ObjectNode sealed = Json.MAPPER.createObjectNode().put("seq", seq);
        sealed.setAll(record);
        sealed.put("prev", prev);
        return Json.MAPPER.writeValueAsString(sealed);
    }

    private void emit(String line) throws IOException {
        stream.accept(line);
        if (file != null) {
            file.write(line);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (file != null) {
            file.close();
        }
    }
}

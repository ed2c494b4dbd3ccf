package dev.haguard.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The hash chain of audit records: each record carries {@code seq}, one more than the record before it, and
 * {@code prev}, the SHA-256 of that record's line. A chain starts with a {@code chain-start} record whose
 * {@code prev} is {@link #GENESIS}: at every process start, so a restart is visible, never silent.
 */
public final class Chain {

    public static final String GENESIS = "0".repeat(64);
    public static final String START = "chain-start";
    public static final String ROTATION = "file-rotation";

    private Chain() {
    }

    /** SHA-256 of one record's line, without its line break, as lowercase hex. */
    public static String hash(String line) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(line.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}

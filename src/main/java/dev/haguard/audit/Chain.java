package dev.haguard.audit;

/**
 * The hash chain of audit records: each record carries {@code seq}, one more than the record before it, and
 * {@code prev}, the SHA-256 of that record's line without its line break. A chain starts with a {@code chain-start}
 * record whose {@code prev} is {@link #GENESIS}: at every process start, so a restart is visible, never silent.
 */
public final class Chain {

    public static final String GENESIS = "0".repeat(64);
    public static final String START = "chain-start";
    public static final String ROTATION = "file-rotation";

    private Chain() {
    }
}

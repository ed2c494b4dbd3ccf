package dev.haguard.audit;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * An append-only file that rotates by size: {@code audit.log} becomes {@code audit.log.1}, {@code .1} becomes
 * {@code .2}, and so on up to {@code keep} old files. Not thread-safe: {@link AuditTrail} calls it under its lock.
 */
final class RotatingFile implements AutoCloseable {

    private final Path path;
    private final long maxBytes;
    private final int keep;
    private OutputStream out;
    private long size;

    RotatingFile(Path path, long maxBytes, int keep) throws IOException {
        this.path = path;
        this.maxBytes = maxBytes;
        this.keep = keep;
        if (path.getParent() != null) {
            Files.createDirectories(path.getParent());
        }
        open();
    }

    private void open() throws IOException {
        out = Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        size = Files.size(path);
    }

    /** Whether the next line of {@code length} bytes belongs in a new file. */
    boolean full(int length) {
        return size > 0 && size + length > maxBytes;
    }

    /** Closes this file, shifts the old ones, and starts an empty one; returns the name the full file now has. */
    Path rotate() throws IOException {
        out.close();
        for (int i = keep - 1; i >= 1; i--) {
            Path older = sibling(i);
            if (Files.exists(older)) {
                Files.move(older, sibling(i + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Path rotated = sibling(1);
        Files.move(path, rotated, StandardCopyOption.REPLACE_EXISTING);
        open();
        return rotated;
    }

    private Path sibling(int n) {
        return path.resolveSibling(path.getFileName() + "." + n);
    }

    void write(String line) throws IOException {
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        out.write(bytes);
        out.flush();
        size += bytes.length;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}

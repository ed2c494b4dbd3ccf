package dev.haguard.audit;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A throwaway Ed25519 key pair made by openssl (a prerequisite of .ci/run) in a test's folder, so that the tests prove
 * ha-guard reads the PEM files openssl writes, and no private key is kept in the repository.
 */
public final class TestKeys {

    private TestKeys() {
    }

    /** Writes {@code drill.pem} (PKCS#8) and {@code drill.pub.pem} (SubjectPublicKeyInfo) in {@code dir}; the private one. */
    public static Path openssl(Path dir) throws IOException, InterruptedException {
        Path key = dir.resolve("drill.pem");
        run("openssl", "genpkey", "-algorithm", "ed25519", "-out", key.toString());
        run("openssl", "pkey", "-in", key.toString(), "-pubout", "-out", publicOf(key).toString());
        return key;
    }

    /** Where {@link #openssl} wrote the public key of {@code key}. */
    public static Path publicOf(Path key) {
        return key.resolveSibling("drill.pub.pem");
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
    }
}

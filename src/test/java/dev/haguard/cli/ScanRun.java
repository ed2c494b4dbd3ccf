package dev.haguard.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * One in-process run of {@code scan}, as the command line runs it: the @QuarkusTests' mock servers leave
 * kubernetes.* system properties behind (the API server's URL among them), which fabric8 would prefer to the
 * kubeconfig named, so they are set aside for the run.
 */
record ScanRun(int exit, String out, String err) {

    static ScanRun withStdin(String stdin, String... args) {
        Properties saved = (Properties) System.getProperties().clone();
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("kubernetes."))
                .forEach(System::clearProperty);
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int exit = ScanCommand.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
            return new ScanRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setProperties(saved);
        }
    }
}

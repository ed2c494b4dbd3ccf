package dev.haguard.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * One in-process run of {@code scan} (or {@code drill}), as the command line runs it: the @QuarkusTests' mock servers leave
 * kubernetes.* system properties behind (the API server's URL among them), which fabric8 would prefer to the
 * kubeconfig named, so they are set aside for the run.
 */
record ScanRun(int exit, String out, String err) {

    private interface Verb {
        int run(ByteArrayInputStream in, PrintStream out, PrintStream err);
    }

    static ScanRun withStdin(String stdin, String... args) {
        return isolated(stdin, (in, out, err) -> ScanCommand.run(args, in, out, err));
    }

    static ScanRun drill(String... args) {
        return isolated("", (in, out, err) -> DrillCommand.run(args, out, err));
    }

    /** Where the kubeconfig for a mock API server at {@code url} is written, in {@code dir}. */
    static java.nio.file.Path kubeconfig(java.nio.file.Path dir, String url) throws java.io.IOException {
        return java.nio.file.Files.writeString(dir.resolve("kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters: [{name: mock, cluster: {server: "%s"}}]
                users: [{name: me, user: {token: t}}]
                contexts: [{name: mock, context: {cluster: mock, user: me}}]
                current-context: mock
                """.formatted(url));
    }

    private static ScanRun isolated(String stdin, Verb verb) {
        Properties saved = (Properties) System.getProperties().clone();
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("kubernetes."))
                .forEach(System::clearProperty);
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int exit = verb.run(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
            return new ScanRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setProperties(saved);
        }
    }
}

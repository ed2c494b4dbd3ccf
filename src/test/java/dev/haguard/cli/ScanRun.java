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

    /**
     * The report of a dump (a List), judged at 2026-12-04T00:00:00Z with the packaged policy and {@code failed}
     * domains: every object read whole, or each managed pod, ReplicaSet or Job kept only as far as the scan reads it.
     */
    static dev.haguard.scan.ScanReport judged(String dump, boolean kept, String... failed) throws Exception {
        var standard = new dev.haguard.rules.StandardRules(dev.haguard.policy.PolicyConfigMap.DEFAULT, "ha-guard");
        java.util.function.UnaryOperator<com.fasterxml.jackson.databind.JsonNode> read = kept
                ? o -> dev.haguard.cluster.Kept.controlled(o, standard.listed()) : o -> o;
        return dev.haguard.scan.Scan.judge(Manifests.read(java.util.List.of("-"), new java.io.ByteArrayInputStream(
                dump.getBytes(java.nio.charset.StandardCharsets.UTF_8)), java.util.List.of(), n -> { }, read), standard,
                standard.parser().packagedDefault(), java.time.Instant.parse("2026-12-04T00:00:00Z"), null,
                java.util.List.of(failed), n -> { });
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

package dev.haguard.cli;

import java.io.PrintStream;
import java.util.Comparator;
import java.util.List;

/** The top level of the command line: which verb, and what anything else gets. */
public final class Usage {

    private static final List<String> VERBS = List.of("serve", "check", "audit");
    static final String TEXT = """
            Usage: ha-guard [serve | check ARGS... | audit ARGS... | --help | --version]
              (no argument), serve   run the admission webhook server (HTTPS on 8443, health and metrics on 9000)
              check FILE|DIR|-       judge Kubernetes manifests offline, with the webhooks' engine (check --help)
              audit verify|summary   verify or summarise ha-guard audit files (audit --help)
              --help, --version      this text; the version""";

    private Usage() {
    }

    /** Answers a first argument that is no verb: help or version (exit 0), or a clear refusal (exit 2). */
    public static int run(String first, PrintStream out, PrintStream err) {
        switch (first) {
            case "--help", "-h", "help" -> {
                out.println(TEXT);
                return 0;
            }
            case "--version", "-V", "version" -> {
                out.println(Version.current());
                return 0;
            }
            default -> {
                String nearest = VERBS.stream().min(Comparator.comparingInt(v -> distance(v, first))).orElseThrow();
                err.println("ha-guard: unknown command \"" + first + "\""
                        + (distance(nearest, first) <= 2 ? "; did you mean \"" + nearest + "\"?" : ""));
                err.println(TEXT);
                return CheckCommand.UNUSABLE;
            }
        }
    }

    /** Levenshtein distance: how many single-character edits turn one word into the other. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            int[] current = new int[b.length() + 1];
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            previous = current;
        }
        return previous[b.length()];
    }
}

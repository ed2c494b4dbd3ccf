package dev.haguard.cli;

import java.io.PrintStream;
import dev.haguard.policy.Spelling;
import java.util.List;

/** The top level of the command line: which verb, and what anything else gets. */
public final class Usage {

    private static final List<String> VERBS = List.of("serve", "check", "scan", "drill", "export", "audit");
    static final String TEXT = """
            Usage: ha-guard [serve | check ARGS... | scan ARGS... | drill ARGS... | export vap | audit ARGS... | --help | --version]
              (no argument), serve   run the admission webhook server (HTTPS on 8443, health and metrics on 9000)
              check FILE|DIR|-       judge Kubernetes manifests offline, with the webhooks' engine (check --help)
              scan [--from DUMP]     judge what a cluster runs, or a dump of it, with the same engine (scan --help)
              drill NAMESPACE        restore its newest Velero backup elsewhere and measure the RTO (drill --help)
              export vap             the validating checks as ValidatingAdmissionPolicies (CEL), a backstop (export --help)
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
                err.println("ha-guard: unknown command \"" + first + "\"" + Spelling.nearest(first, VERBS)
                        .map(nearest -> "; did you mean \"" + nearest + "\"?").orElse(""));
                err.println(TEXT);
                return CheckCommand.UNUSABLE;
            }
        }
    }
}

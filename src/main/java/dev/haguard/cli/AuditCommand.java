package dev.haguard.cli;

import dev.haguard.audit.ApiServerCrossCheck;
import dev.haguard.audit.ApiServerIdentity;
import dev.haguard.audit.AuditSummary;
import dev.haguard.audit.Attestation;
import dev.haguard.audit.AuditVerifier;
import dev.haguard.audit.DrillEvidence;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code audit verify} and {@code audit summary}: what a security reviewer runs over ha-guard's audit files. */
@Command(name = "audit", mixinStandardHelpOptions = true, versionProvider = Version.class,
        subcommands = {AuditCommand.Verify.class, AuditCommand.Summary.class},
        description = "Checks and summarises ha-guard audit files.")
public final class AuditCommand {

    static final int OK = 0;
    static final int BROKEN = 1;
    static final int UNUSABLE = 2;

    public static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine cli = new CommandLine(new AuditCommand()).setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true));
        cli.setExecutionExceptionHandler((e, c, p) -> {
            err.println("audit: " + e.getMessage());
            return UNUSABLE;
        });
        cli.setParameterExceptionHandler((e, a) -> {
            err.println("audit: " + e.getMessage());
            e.getCommandLine().usage(err);
            return UNUSABLE;
        });
        int code = cli.execute(args);
        return args.length == 0 ? UNUSABLE : code;
    }

    static List<Path> existing(List<Path> files) throws IOException {
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                throw new IOException(f + ": no such file");
            }
        }
        return files;
    }

    @Command(name = "verify", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = {"Checks the hash chain of audit files, given oldest first (FILE.2 FILE.1 FILE), and reports "
                    + "the first broken, missing or reordered record. With --apiserver-audit-log, also matches every "
                    + "decision with the API server's own audit log: records no API server event shows (forged or "
                    + "replayed) and events naming a record the files do not hold (lost).",
                    "With --key, also checks that every restore drill record's evidence was signed by that key and not "
                            + "changed since.",
                    "Exit codes: 0 intact (and consistent, and signed), 1 broken, inconsistent or unverified, 2 unusable "
                            + "input."})
    static final class Verify implements Callable<Integer> {

        @Option(names = "--apiserver-audit-log", paramLabel = "FILE", arity = "1..*", description = "The API server's "
                + "audit log (audit.k8s.io/v1 Events, one per line, level Metadata or above) for the same time; "
                + "give the audit files of every ha-guard replica.")
        List<Path> apiServerLogs = new ArrayList<>();

        @Option(names = "--key", paramLabel = "FILE", description = "An Ed25519 public key (PEM: openssl pkey -in KEY "
                + "-pubout): every restore drill record must carry evidence that key signed (drill --signing-key), "
                + "unchanged since.")
        Path key;

        @Parameters(arity = "1..*", paramLabel = "FILE")
        List<Path> files;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            java.security.PublicKey publicKey = null;
            if (key != null) {
                try {
                    publicKey = Attestation.publicKey(key);
                } catch (IOException e) {
                    spec.commandLine().getErr().println("audit verify: --key: " + e.getMessage());
                    return UNUSABLE;
                }
            }
            AuditVerifier.ChainReport report = AuditVerifier.verify(existing(files));
            report.notes().forEach(n -> out.println("note: " + n));
            if (report.unusable()) {
                spec.commandLine().getErr().println("audit verify: " + report.problem());
                return UNUSABLE;
            }
            if (!report.intact()) {
                out.println("BROKEN: " + report.problem());
                return BROKEN;
            }
            out.printf("OK: %d records, %d chain start(s), %d rotation(s), unbroken%n", report.records(), report.chains(),
                    report.rotations());
            boolean signed = true;
            if (publicKey != null) {
                DrillEvidence drills = DrillEvidence.verify(existing(files), publicKey);
                drills.problems().forEach(p -> out.println("UNVERIFIED: " + p));
                out.printf("drill evidence: %d of %d drill record(s) signed by key %s and unchanged%n", drills.drills()
                        - drills.problems().size(), drills.drills(), Attestation.keyId(publicKey));
                signed = drills.verified();
            }
            if (apiServerLogs.isEmpty()) {
                return signed ? OK : BROKEN;
            }
            ApiServerCrossCheck.Matches cross = ApiServerCrossCheck.check(files, existing(apiServerLogs));
            out.printf("API server audit log: %d events%s; %d decisions matched, %d repeat calls of a matched request "
                    + "(reinvocations), %d records outside the log's window%n", cross.events(), cross.from() == null ? ""
                    : " from " + cross.from() + " to " + cross.to(), cross.matched(), cross.repeats(), cross.outside());
            cross.mismatches().forEach(m -> out.println("MISMATCH: " + m));
            return cross.consistent() && signed ? OK : BROKEN;
        }
    }

    @Command(name = "summary", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = "Denials and warnings by rule, namespace and user, and break-glass use, for a time window.")
    static final class Summary implements Callable<Integer> {

        @Option(names = "--since", paramLabel = "WHEN", description = "Start of the window: an RFC 3339 time, or a "
                + "duration back from now such as 24h or 7d.")
        String since;

        @Option(names = "--until", paramLabel = "WHEN", description = "End of the window (exclusive), same forms.")
        String until;

        @Option(names = "--apiserver-subject", paramLabel = "SUBJECT", description = "The API server's client "
                + "certificate subject (RFC 2253, e.g. 'CN=kube-apiserver,O=system'); repeatable. Records from any "
                + "other caller are flagged.")
        List<String> apiServerSubjects = new ArrayList<>();

        @Option(names = "--apiserver-address", paramLabel = "CIDR", description = "An address the API server calls "
                + "from, an IP or a CIDR (10.0.0.0/24); repeatable.")
        List<String> apiServerAddresses = new ArrayList<>();

        @Parameters(arity = "1..*", paramLabel = "FILE")
        List<Path> files;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            Instant from = when(since);
            Instant to = when(until);
            ApiServerIdentity apiServer;
            try {
                apiServer = new ApiServerIdentity(apiServerSubjects, apiServerAddresses);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--apiserver-address: " + e.getMessage());
            }
            AuditSummary.of(existing(files), from, to, apiServer).print(spec.commandLine().getOut(), window(from, to));
            return OK;
        }

        private static String window(Instant from, Instant to) {
            return from == null && to == null ? "in all records" : "from " + (from == null ? "the start" : from) + " until "
                    + (to == null ? "the end" : to);
        }

        static Instant when(String value) {
            if (value == null) {
                return null;
            }
            try {
                return Instant.parse(value);
            } catch (DateTimeParseException e) {
                try {
                    String iso = value.endsWith("d") ? "P" + value.toUpperCase() : "PT" + value.toUpperCase();
                    return Instant.now().minus(Duration.parse(iso));
                } catch (DateTimeParseException e2) {
                    throw new CommandLine.ParameterException(new CommandLine(new Summary()),
                            "\"" + value + "\" is neither an RFC 3339 time (2026-11-21T00:00:00Z) nor a duration (24h, 7d)");
                }
            }
        }
    }
}

package dev.haguard.cli;

import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.haguard.engine.ApiKind;
import dev.haguard.policy.Policy;
import dev.haguard.policy.PolicyConfigMap;
import dev.haguard.rules.StandardRules;
import dev.haguard.scan.Document;
import dev.haguard.scan.Held;
import dev.haguard.scan.Scan;
import dev.haguard.scan.ScanFinding;
import dev.haguard.scan.ScanReport;
import dev.haguard.scan.ScanText;
import dev.haguard.scan.Severity;
import dev.haguard.scan.UnusableInput;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code scan}: judges what already runs (or a dump of it) through the same engine and the same path as
 * {@code check}, as the CREATE of what is stored; mutations are reported as what the webhook would add. It only
 * lists; it never writes.
 */
@Command(name = "scan", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = {"Judges the workloads of a cluster (kubeconfig as kubectl finds it), or a dump of them "
                + "(--from: kubectl get ... -o yaml, kind: List or multi-document YAML), with the webhooks' engine. "
                + "Only reads.",
                "Exit codes: 0 no finding at or above --fail-on, 1 findings, 2 usage, connection or permission errors."})
public final class ScanCommand implements Callable<Integer> {

    enum Format { text, json, yaml }

    @Option(names = "--from", paramLabel = "FILE|DIR", description = "Judge a dump instead of a cluster; - for stdin; "
            + "repeatable.")
    List<String> from = new ArrayList<>();

    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "Kubeconfig (default: as kubectl finds it).")
    Path kubeconfig;

    @Option(names = "--context", paramLabel = "NAME", description = "Kubeconfig context (default: the current one).")
    String context;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", description = "Only this namespace (default: all).")
    String namespace;

    @Option(names = {"-A", "--all-namespaces"}, description = "All namespaces (the default).")
    boolean all;

    @Option(names = {"-l", "--selector"}, paramLabel = "SELECTOR", description = "Only objects with these labels.")
    String selector;

    @Option(names = "--policy", paramLabel = "FILE", description = "Policy file (default: the packaged default policy).")
    Path policy;

    @Option(names = "--now", paramLabel = "TIME", description = "Judge backup freshness as of this RFC 3339 time "
            + "(a dump's capture time; default: now).")
    String now;

    @Option(names = "--fail", paramLabel = "DOMAIN", description = "What-if: list what failing this domain now would "
            + "take down: node=NAME, zone=ZONE or region=REGION; repeatable (all fail together).")
    List<String> fail = new ArrayList<>();

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text", description = "text, json or yaml.")
    Format output;

    @Option(names = "--fail-on", paramLabel = "SEVERITY", description = "Exit 1 when a finding (what-if findings too) is "
            + "at or above this: low, medium or high (default: high; none when only --fail-on-what-if is given).")
    Severity failOn;

    @Option(names = "--fail-on-what-if", paramLabel = "SEVERITY", description = "Exit 1 when a what-if finding is at or "
            + "above this: low, medium or high. Alone (without --fail-on), the exit code answers only the what-if: "
            + "--fail zone=a --fail-on-what-if high asks whether losing zone a would be an outage.")
    Severity failOnWhatIf;

    private InputStream stdin;
    private PrintStream out;
    private PrintStream err;

    public static int run(String[] args, InputStream stdin, PrintStream out, PrintStream err) {
        ScanCommand command = new ScanCommand();
        command.stdin = stdin;
        command.out = out;
        command.err = err;
        return Verb.execute(command, "scan", args, out, err);
    }

    @Override
    public Integer call() {
        StandardRules standard = new StandardRules(PolicyConfigMap.DEFAULT, "ha-guard");
        Policy rules = Verb.policy(standard, policy, "scan", err);
        if (rules == null) {
            return CheckCommand.UNUSABLE;
        }
        java.time.Instant at;
        try {
            at = now == null ? java.time.Instant.now() : java.time.Instant.parse(now);
        } catch (java.time.format.DateTimeParseException e) {
            err.println("scan: --now \"" + now + "\" is not an RFC 3339 time such as 2026-12-01T02:00:00Z");
            return CheckCommand.UNUSABLE;
        }
        if (failOnWhatIf != null && fail.isEmpty()) {
            err.println("scan: --fail-on-what-if needs the domains to fail: --fail node=NAME, zone=ZONE or region=REGION");
            return CheckCommand.UNUSABLE;
        }
        long start = System.nanoTime();
        List<Document> docs;
        ScanReport report;
        try {
            // Of a pod, ReplicaSet or Job a controller manages, only what the scan reads, held compact, as the server's
            // informers hold it: never as a Document, since it is judged on its controller.
            Held held = new Held(standard.listed());
            docs = from.isEmpty() ? live(standard.listed()) : Manifests.read(from, stdin, List.of(),
                    note -> err.println("scan: " + note), held::take);
            progress(start, "read " + (docs.size() + held.size()) + " objects");
            report = Scan.judge(docs, held, standard, rules, at, from.isEmpty() ? veleroInstalled : null, fail,
                    note -> err.println("scan: " + note));
        } catch (UnusableInput e) {
            err.println("scan: " + e.getMessage());
            return CheckCommand.UNUSABLE;
        }
        progress(start, "judged");
        List<ScanFinding> whatIf = report.whatIf();
        switch (output) {
            case text -> ScanText.print(report, out);
            case json -> out.println(ScanText.json(report).toPrettyString());
            case yaml -> {
                try {
                    out.print(YAMLMapper.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).build()
                            .writeValueAsString(ScanText.json(report)));
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        Severity bar = failOn != null ? failOn : failOnWhatIf == null ? Severity.high : null;
        boolean fails = bar != null && java.util.stream.Stream.concat(report.findings().stream(), whatIf.stream())
                .anyMatch(f -> f.severity().compareTo(bar) >= 0)
                || failOnWhatIf != null && whatIf.stream().anyMatch(f -> f.severity().compareTo(failOnWhatIf) >= 0);
        return fails ? CheckCommand.DENIED : CheckCommand.ADMITTED;
    }

    /** A line on stderr once the scan has taken more than a second, so a large cluster does not look stuck. */
    private void progress(long start, String what) {
        double seconds = (System.nanoTime() - start) / 1e9;
        if (seconds > 1) {
            err.printf(Locale.ROOT, "scan: %s (%.1f s)%n", what, seconds);
        }
    }

    /** Whether the live cluster has Velero's CRDs; null until a live scan has looked. */
    private Boolean veleroInstalled;

    private List<Document> live(List<ApiKind> kinds) throws UnusableInput {
        try (KubernetesClient client = LiveCluster.connect(kubeconfig, context)) {
            List<Document> docs = new ArrayList<>(LiveCluster.read(client, kinds, namespace, selector,
                    note -> err.println("scan: " + note)));
            var velero = LiveCluster.velero(client, kinds);
            veleroInstalled = velero.isPresent();
            velero.ifPresent(docs::addAll);
            return docs;
        }
    }
}

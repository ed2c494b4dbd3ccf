package dev.haguard.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.haguard.engine.Decision;
import dev.haguard.engine.Outcome;
import dev.haguard.engine.RuleDecision;
import dev.haguard.engine.Webhook;
import dev.haguard.json.Json;
import dev.haguard.policy.Policy;
import dev.haguard.policy.PolicyConfigMap;
import dev.haguard.rules.StandardRules;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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

    /** How much a finding weighs: a denial under enforce is high, a warning medium, audit and "would add" low. */
    enum Severity { low, medium, high }

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

    /**
     * One thing found about one object. {@code check}: which exposure, where alerts need to tell findings of one rule
     * apart; "" otherwise.
     */
    record Found(String namespace, String object, String rule, Severity severity, String message, String check) {

        Found(String namespace, String object, String rule, Severity severity, String message) {
            this(namespace, object, rule, severity, message, "");
        }
    }

    @Override
    public Integer call() {
        StandardRules standard = new StandardRules(PolicyConfigMap.DEFAULT, "ha-guard");
        Policy rules = Verb.policy(standard, policy, "scan", err);
        if (rules == null) {
            return CheckCommand.UNUSABLE;
        }
        List<Placement.Domain> failed = new ArrayList<>();
        try {
            fail.forEach(f -> failed.add(Placement.Domain.parse(f)));
        } catch (IllegalArgumentException e) {
            err.println("scan: " + e.getMessage());
            return CheckCommand.UNUSABLE;
        }
        java.time.Instant at;
        try {
            at = now == null ? java.time.Instant.now() : java.time.Instant.parse(now);
        } catch (java.time.format.DateTimeParseException e) {
            err.println("scan: --now \"" + now + "\" is not an RFC 3339 time such as 2026-12-01T02:00:00Z");
            return CheckCommand.UNUSABLE;
        }
        if (failOnWhatIf != null && failed.isEmpty()) {
            err.println("scan: --fail-on-what-if needs the domains to fail: --fail node=NAME, zone=ZONE or region=REGION");
            return CheckCommand.UNUSABLE;
        }
        long start = System.nanoTime();
        List<Manifests.Document> docs;
        try {
            docs = from.isEmpty() ? live() : Manifests.read(from, stdin, List.of(), note -> err.println("scan: " + note));
        } catch (Manifests.UnusableInput e) {
            err.println("scan: " + e.getMessage());
            return CheckCommand.UNUSABLE;
        }
        progress(start, "read " + docs.size() + " objects");
        String unknown = Placement.unknown(failed, docs);
        if (unknown != null) {
            err.println("scan: " + unknown);
            return CheckCommand.UNUSABLE;
        }
        Report report;
        try {
            report = judge(docs, standard, rules, at, from.isEmpty() ? veleroInstalled : null, failed,
                    note -> err.println("scan: " + note));
        } catch (Manifests.UnusableInput e) {
            err.println("scan: " + e.getMessage());
            return CheckCommand.UNUSABLE;
        }
        progress(start, "judged");
        List<Found> whatIf = report.whatIf();
        switch (output) {
            case text -> report.print(out);
            case json -> out.println(report.json().toPrettyString());
            case yaml -> {
                try {
                    out.print(YAMLMapper.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).build()
                            .writeValueAsString(report.json()));
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

    /**
     * The scan itself, whatever the objects came from: each judged object through check's path, placement, backups.
     * {@code veleroInstalled}: false when a live cluster has no Velero CRDs; null when not known (a dump).
     */
    static Report judge(List<Manifests.Document> docs, StandardRules standard, Policy rules, java.time.Instant at,
            Boolean veleroInstalled, List<Placement.Domain> failed, java.util.function.Consumer<String> notes)
            throws Manifests.UnusableInput {
        Map<String, Integer> skipped = new TreeMap<>();
        List<Manifests.Document> judged = new ArrayList<>();
        for (Manifests.Document doc : docs) {
            String why = skip(doc, rules);
            if (why == null) {
                judged.add(doc);
            } else {
                skipped.merge(why, 1, Integer::sum);
            }
        }
        List<Checker.Result> results = new Checker(standard.engine(), rules, EnumSet.allOf(Webhook.class), "default")
                .check(judged, notes);
        Placement placement = new Placement(docs);
        List<Found> whatIf = failed.isEmpty() ? List.of() : placement.whatIf(failed);
        BackupFindings.Judged backups = BackupFindings.of(docs, rules, at, veleroInstalled);
        List<Found> extra = new ArrayList<>(placement.findings());
        extra.addAll(backups.findings());
        return Report.of(results, extra, backups.namespaces(), skipped, failed, whatIf);
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

    private List<Manifests.Document> live() throws Manifests.UnusableInput {
        try (KubernetesClient client = LiveCluster.connect(kubeconfig, context)) {
            List<Manifests.Document> docs = new ArrayList<>(LiveCluster.read(client, namespace, selector,
                    note -> err.println("scan: " + note)));
            var velero = LiveCluster.velero(client);
            veleroInstalled = velero.isPresent();
            velero.ifPresent(docs::addAll);
            return docs;
        }
    }

    /**
     * Why an object is not judged itself, or null. Pods and ReplicaSets a controller manages are judged on their
     * controller; kinds no rule covers are counted.
     */
    private static String skip(Manifests.Document doc, Policy policy) {
        String kind = doc.content().path("kind").asText();
        String apiVersion = doc.content().path("apiVersion").asText();
        boolean controlled = false;
        for (var owner : doc.content().path("metadata").path("ownerReferences")) {
            controlled |= owner.path("controller").asBoolean();
        }
        if ((kind.equals("Pod") || kind.equals("ReplicaSet") || kind.equals("Job")) && controlled) {
            return kind + " managed by a controller (judged on the controller)";
        }
        if (Set.of("Node", "PersistentVolume", "PersistentVolumeClaim", "Schedule", "Backup", "BackupStorageLocation",
                "Restore").contains(kind)) {
            return kind + " (read for placement and backups)";
        }
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        if (JUDGED.contains(kind) || policy.workloadKind(group, Kinds.resource(kind)).isPresent()) {
            return null;
        }
        return kind + " (no rule judges it)";
    }

    private static final Set<String> JUDGED = Set.of("Deployment", "StatefulSet", "ReplicaSet", "DaemonSet", "Job",
            "CronJob", "ReplicationController", "HorizontalPodAutoscaler", "PodDisruptionBudget", "Pod");

    /** The findings by namespace, with a DR readiness score per namespace and for the cluster. */
    record Report(Map<String, List<Found>> byNamespace, Map<String, Integer> objects, Map<String, Integer> clean,
            Map<String, Integer> skipped, List<Placement.Domain> failed, List<Found> whatIf) {

        /** {@code judgedNamespaces}: namespaces judged as a whole (backups), each one more object of its score. */
        static Report of(List<Checker.Result> results, List<Found> extra, Map<String, String> judgedNamespaces,
                Map<String, Integer> skipped, List<Placement.Domain> failed, List<Found> whatIf) {
            Map<String, List<Found>> byNamespace = new TreeMap<>();
            Map<String, Set<String>> judged = new TreeMap<>(); // namespace -> objects judged there
            Set<String> dirty = new java.util.HashSet<>();
            List<Found> all = new ArrayList<>(extra);
            for (Checker.Result r : results) {
                String ns = r.admission().namespace().isEmpty() ? "(cluster)" : r.admission().namespace();
                String object = r.admission().kind() + " " + r.admission().name();
                judged.computeIfAbsent(ns, n -> new java.util.TreeSet<>()).add(object);
                if (r.unserved() != null) {
                    all.add(new Found(ns, object, "apiVersion", Severity.high, r.unserved().message()));
                }
                for (Decision d : java.util.stream.Stream.of(r.mutate(), r.validate())
                        .filter(java.util.Objects::nonNull).toList()) {
                    for (RuleDecision rule : d.rules()) {
                        Severity severity = switch (rule.outcome()) {
                            case DENY, ERROR -> Severity.high;
                            case WARN -> Severity.medium;
                            case AUDIT, MUTATE -> Severity.low;
                            default -> null;
                        };
                        if (severity != null) {
                            all.add(new Found(ns, object, rule.rule(), severity, rule.outcome() == Outcome.MUTATE
                                    ? "would add: " + rule.message() : rule.message()));
                        }
                    }
                }
            }
            judgedNamespaces.forEach((ns, object) -> judged.computeIfAbsent(ns, n -> new java.util.TreeSet<>()).add(object));
            for (Found f : all) {
                byNamespace.computeIfAbsent(f.namespace(), n -> new ArrayList<>()).add(f);
                if (f.severity() != Severity.low) {
                    dirty.add(f.namespace() + "/" + f.object());
                }
                if (!f.namespace().equals("(cluster)")) {
                    judged.computeIfAbsent(f.namespace(), n -> new java.util.TreeSet<>()).add(f.object());
                }
            }
            byNamespace.values().forEach(list -> list.sort(java.util.Comparator.comparing(Found::severity).reversed()
                    .thenComparing(Found::object)));
            judged.remove("(cluster)");
            Map<String, Integer> objects = new TreeMap<>();
            Map<String, Integer> clean = new TreeMap<>();
            judged.forEach((ns, set) -> {
                objects.put(ns, set.size());
                clean.put(ns, (int) set.stream().filter(o -> !dirty.contains(ns + "/" + o)).count());
            });
            return new Report(byNamespace, objects, clean, skipped, failed, whatIf);
        }

        List<Found> findings() {
            return byNamespace.values().stream().flatMap(List::stream).toList();
        }

        /**
         * DR readiness: the share of judged objects with no medium or high finding, 0 to 100. A "would add" or
         * audit-only finding does not lower it; one warning or denial takes the object out.
         */
        static int score(int clean, int objects) {
            return objects == 0 ? 100 : Math.round(100f * clean / objects);
        }

        void print(PrintStream out) {
            for (Found f : byNamespace.getOrDefault("(cluster)", List.of())) {
                out.printf("(cluster): %s %s%n%n", f.severity().name().toUpperCase(Locale.ROOT), f.message());
            }
            for (String ns : objects.keySet()) {
                List<Found> found = byNamespace.getOrDefault(ns, List.of());
                out.printf("%s: DR readiness %d/100 (%d of %d objects without a warning or denial)%n", ns,
                        score(clean.getOrDefault(ns, 0), objects.get(ns)), clean.getOrDefault(ns, 0), objects.get(ns));
                for (Found f : found) {
                    out.printf("  %-6s %-18s %-34s %s%n", f.severity().name().toUpperCase(Locale.ROOT), f.rule(),
                            f.object(), f.message());
                }
                out.println();
            }
            int total = objects.values().stream().mapToInt(Integer::intValue).sum();
            int good = clean.values().stream().mapToInt(Integer::intValue).sum();
            Map<Severity, Long> counts = new TreeMap<>(java.util.Comparator.reverseOrder());
            findings().forEach(f -> counts.merge(f.severity(), 1L, Long::sum));
            out.printf("cluster: DR readiness %d/100; %d objects in %d namespace(s); findings: %d high, %d medium, %d low%n",
                    score(good, total), total, objects.size(), counts.getOrDefault(Severity.high, 0L),
                    counts.getOrDefault(Severity.medium, 0L), counts.getOrDefault(Severity.low, 0L));
            if (!skipped.isEmpty()) {
                out.println("not judged: " + skipped.entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
                        .collect(java.util.stream.Collectors.joining(", ")));
            }
            if (!failed.isEmpty()) {
                out.printf("%nwhat if %s failed now: %s%n", failed.stream().map(Placement.Domain::toString)
                        .collect(java.util.stream.Collectors.joining(" and ")), whatIf.isEmpty()
                        ? "no workload loses a ready replica or a volume" : whatIf.size() + " finding(s), most severe first");
                for (Found f : whatIf) {
                    out.printf("  %-6s %-34s %s%n", f.severity().name().toUpperCase(Locale.ROOT),
                            f.namespace() + "/" + f.object().replace(' ', '/'), f.message());
                }
            }
        }

        ObjectNode json() {
            ObjectNode root = Json.MAPPER.createObjectNode();
            ArrayNode namespaces = root.putArray("namespaces");
            int total = 0;
            int good = 0;
            for (String ns : objects.keySet()) {
                int n = objects.get(ns);
                int c = clean.getOrDefault(ns, 0);
                total += n;
                good += c;
                ObjectNode one = namespaces.addObject().put("name", ns).put("score", score(c, n)).put("objects", n)
                        .put("clean", c);
                ArrayNode findings = one.putArray("findings");
                byNamespace.getOrDefault(ns, List.of()).forEach(f -> findings.addObject().put("object", f.object())
                        .put("rule", f.rule()).put("severity", f.severity().name()).put("message", f.message()));
            }
            root.putObject("cluster").put("score", score(good, total)).put("objects", total).put("clean", good);
            ArrayNode clusterFindings = ((ObjectNode) root.get("cluster")).putArray("findings");
            byNamespace.getOrDefault("(cluster)", List.of()).forEach(f -> clusterFindings.addObject()
                    .put("rule", f.rule()).put("severity", f.severity().name()).put("message", f.message()));
            ObjectNode notJudged = root.putObject("notJudged");
            skipped.forEach(notJudged::put);
            if (!failed.isEmpty()) {
                ObjectNode what = root.putObject("whatIf");
                ArrayNode domains = what.putArray("failed");
                failed.forEach(d -> domains.add(d.toString()));
                ArrayNode findings = what.putArray("findings");
                whatIf.forEach(f -> findings.addObject().put("namespace", f.namespace()).put("object", f.object())
                        .put("severity", f.severity().name()).put("message", f.message()));
            }
            return root;
        }
    }
}

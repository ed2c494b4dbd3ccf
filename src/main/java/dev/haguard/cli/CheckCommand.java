package dev.haguard.cli;

import dev.haguard.scan.UnusableInput;
import dev.haguard.scan.Document;
import dev.haguard.scan.Verdict;
import dev.haguard.scan.Checker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.haguard.engine.Decision;
import dev.haguard.engine.Outcome;
import dev.haguard.engine.RuleDecision;
import dev.haguard.engine.Webhook;
import dev.haguard.json.Json;
import dev.haguard.policy.Mode;
import dev.haguard.policy.Policy;
import dev.haguard.policy.PolicyConfigMap;
import dev.haguard.rules.StandardRules;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code check}: what ha-guard would answer for manifests, offline, with exit codes fit for a CI pipeline. */
@Command(name = "check", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = {"Judges Kubernetes manifests as the CREATEs the API server would send for them, with the "
                + "same engine as the webhooks, without a cluster. A recorded AdmissionReview is replayed as it is.",
                "Exit codes: 0 all admitted, 1 any denied (or warned, with --fail-on-warn), 2 unusable input or policy."})
public final class CheckCommand implements Callable<Integer> {

    public static final int ADMITTED = 0;
    public static final int DENIED = 1;
    public static final int UNUSABLE = 2;
    private static final String APIVERSION = "apiVersion";

    enum Format { text, yaml, json }

    enum Webhooks { both, mutate, validate }

    @Option(names = "--policy", paramLabel = "FILE", description = "Policy file (default: the packaged default policy).")
    Path policy;

    @Option(names = "--policy-configmap", paramLabel = "NAMESPACE/NAME",
            defaultValue = "${env:HAGUARD_POLICY_CONFIGMAP_NAMESPACE:-ha-guard}/${env:HAGUARD_POLICY_CONFIGMAP_NAME:-ha-guard-policies}",
            description = "The ConfigMap judged as ha-guard's policy document, as the server is configured "
                    + "(default: ${DEFAULT-VALUE}, from HAGUARD_POLICY_CONFIGMAP_NAMESPACE and _NAME when set).")
    String policyConfigMap;

    @Option(names = "--policy-key", paramLabel = "KEY", defaultValue = "${env:HAGUARD_POLICY_CONFIGMAP_KEY:-policy.yaml}",
            description = "Its data entry holding the policy YAML (default: ${DEFAULT-VALUE}).")
    String policyKey;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text (decisions), yaml (the objects as they would be stored), json (decisions, machine-readable).")
    Format output;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", defaultValue = "default",
            description = "Namespace for namespaced objects that name none (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Option(names = "--webhook", paramLabel = "WHICH", defaultValue = "both",
            description = "both (mutate, apply the patch, then validate, as the API server does), mutate or validate.")
    Webhooks webhook;

    @Option(names = "--exclude", paramLabel = "GLOB", description = "Skip files under a directory whose path "
            + "(below that directory) or name matches, e.g. --exclude 'tests/**' --exclude 'values*.yaml'; repeatable.")
    List<String> exclude = new ArrayList<>();

    @Option(names = {"-v", "--verbose"}, description = "Also list the rules that did not apply, with the reason.")
    boolean verbose;

    @Option(names = "--fail-on-warn", description = "Exit 1 when any rule warns, not only when one denies.")
    boolean failOnWarn;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files or directories of YAML/JSON manifests; - for stdin.")
    List<String> paths;

    private InputStream stdin;
    private PrintStream out;
    private PrintStream err;

    /** Runs the command; returns the exit code. */
    public static int run(String[] args, InputStream stdin, PrintStream out, PrintStream err) {
        CheckCommand command = new CheckCommand();
        command.stdin = stdin;
        command.out = out;
        command.err = err;
        return Verb.execute(command, "check", args, out, err);
    }

    @Override
    public Integer call() {
        String[] location = policyConfigMap.split("/", -1);
        if (location.length != 2 || location[0].isBlank() || location[1].isBlank()) {
            err.println("check: --policy-configmap is \"" + policyConfigMap + "\": expected NAMESPACE/NAME");
            return UNUSABLE;
        }
        StandardRules standard = new StandardRules(new PolicyConfigMap(location[0], location[1], policyKey),
                location[0]);
        Policy rules = Verb.policy(standard, policy, "check", err);
        if (rules == null) {
            return UNUSABLE;
        }
        EnumSet<Webhook> asked = switch (webhook) {
            case both -> EnumSet.allOf(Webhook.class);
            case mutate -> EnumSet.of(Webhook.MUTATE);
            case validate -> EnumSet.of(Webhook.VALIDATE);
        };
        List<Verdict> results;
        int[] skipped = {0};
        java.util.function.Consumer<String> notes = note -> {
            err.println("check: " + note);
            skipped[0] += note.startsWith("skipped ") ? 1 : 0;
        };
        try {
            List<Document> docs = Manifests.read(paths, stdin, exclude, notes);
            if (docs.isEmpty()) {
                err.println("check: no Kubernetes objects found in " + String.join(", ", paths));
                return UNUSABLE;
            }
            results = new Checker(standard, rules, asked, namespace).check(docs, notes);
        } catch (UnusableInput e) {
            err.println("check: " + e.getMessage());
            return UNUSABLE;
        }
        switch (output) {
            case text -> results.forEach(this::printText);
            case yaml -> printYaml(results);
            case json -> out.println(json(results).toPrettyString());
        }
        long denied = results.stream().filter(r -> !r.allowed()).count();
        PrintStream summary = output == Format.text ? out : err;
        summary.printf("%d object(s) checked: %d admitted, %d denied%s%n", results.size(), results.size() - denied,
                denied, skipped[0] == 0 ? "" : "; " + skipped[0] + " file(s) or object(s) skipped, each named above "
                        + "with why");
        String byRule = byRule(results);
        if (!byRule.isEmpty()) {
            summary.println("by rule: " + byRule);
        }
        boolean warned = results.stream().flatMap(r -> r.decisions().stream()).flatMap(d -> d.rules().stream())
                .anyMatch(rule -> rule.outcome() == Outcome.WARN);
        return denied > 0 || failOnWarn && warned ? DENIED : ADMITTED;
    }

    /** How often each rule denied, warned, audited or mutated: "minReplicas 7 deny, readinessProbes 3 warn". */
    private static String byRule(List<Verdict> results) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Verdict r : results) {
            if (r.unserved() != null) {
                counts.merge(APIVERSION + " deny", 1, Integer::sum);
            }
            for (Decision d : r.decisions()) {
                for (RuleDecision rule : d.rules()) {
                    if (rule.outcome() != Outcome.PASS && rule.outcome() != Outcome.SKIP) {
                        counts.merge(rule.rule() + " " + rule.outcome().label(), 1, Integer::sum);
                    }
                }
            }
        }
        return counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .map(e -> e.getKey().replace(" ", " " + e.getValue() + " ")).collect(Collectors.joining(", "));
    }

    private void printText(Verdict r) {
        out.printf("%s %s: %s%n", r.doc().where(), r.admission().describe(), r.allowed() ? "ADMITTED" : "DENIED");
        if (r.unserved() != null) {
            out.printf("  %-8s %-16s %-6s %s%n", "check", APIVERSION, Outcome.DENY.label(), r.unserved().message());
        }
        if (!verbose) {
            // An exemption or a rule turned off is a decision too: say it without -v, once.
            r.decisions().stream().flatMap(d -> d.rules().stream())
                    .filter(rule -> rule.outcome() == Outcome.SKIP && rule.mode() == Mode.OFF && rule.covered())
                    .map(RuleDecision::message).distinct().forEach(why -> out.println("  not judged: " + why));
        }
        for (Decision d : r.decisions()) {
            String webhook = d == r.mutate() ? "mutate" : "validate";
            for (RuleDecision rule : d.rules()) {
                if (verbose || rule.outcome() != Outcome.SKIP) {
                    out.printf("  %-8s %-16s %-6s %s%n", webhook, rule.rule(), rule.outcome().label(), rule.message());
                }
            }
            if (d.breakGlass()) {
                out.println("  " + d.warnings().get(0));
            }
            if (d.hasPatch()) {
                out.println("  patch: " + d.patch());
            }
        }
        out.println();
    }

    private void printYaml(List<Verdict> results) {
        YAMLMapper yaml = YAMLMapper.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).build();
        for (Verdict r : results) {
            if (r.object() != null) {
                try {
                    out.println("---");
                    out.print(yaml.writeValueAsString(r.object()));
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new IllegalStateException(e);
                }
            }
            if (!r.allowed()) {
                err.println(r.doc().where() + " " + r.admission().describe() + ": DENIED: " + message(r));
            }
        }
    }

    private static String message(Verdict r) {
        if (r.unserved() != null) {
            return r.unserved().message();
        }
        return r.decisions().stream().filter(d -> !d.allowed()).map(Decision::message).findFirst().orElse("");
    }

    private static List<Decision> decisions(Verdict r) {
        return java.util.stream.Stream.of(r.mutate(), r.validate()).filter(java.util.Objects::nonNull).toList();
    }

    static ArrayNode json(List<Verdict> results) {
        ArrayNode all = Json.MAPPER.createArrayNode();
        for (Verdict r : results) {
            ObjectNode one = all.addObject();
            one.put("source", r.doc().where());
            one.put("object", r.admission().describe());
            one.put("allowed", r.allowed());
            if (r.unserved() != null) {
                one.put("apiVersion", r.unserved().message());
            }
            if (r.mutate() != null) {
                one.set("mutate", json(r.mutate()));
            }
            if (r.validate() != null) {
                one.set("validate", json(r.validate()));
            }
        }
        return all;
    }

    private static JsonNode json(Decision d) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("allowed", d.allowed()).put("message", d.message()).put("scope", d.scope());
        d.warnings().forEach(o.putArray("warnings")::add);
        o.set("patch", d.patch());
        ArrayNode rules = o.putArray("rules");
        d.rules().forEach(rule -> rules.addObject().put("rule", rule.rule()).put("mode", rule.mode().label())
                .put("outcome", rule.outcome().label()).put("message", rule.message()));
        return o;
    }
}

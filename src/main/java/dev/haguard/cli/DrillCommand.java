package dev.haguard.cli;

import dev.haguard.scan.UnusableInput;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haguard.audit.AuditTrail;
import dev.haguard.cluster.Velero;
import dev.haguard.json.Json;
import dev.haguard.policy.Policy;
import dev.haguard.policy.PolicyConfigMap;
import dev.haguard.rules.StandardRules;
import dev.haguard.rules.backups.BackupsConfig;
import dev.haguard.rules.backups.BackupsRule;
import dev.haguard.rules.backups.DrillRecord;
import dev.haguard.rules.backups.Protection;
import dev.haguard.rules.backups.VeleroSchedules;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * A restore drill, measured: restores a namespace's newest Completed Velero Backup into a scratch namespace, waits for
 * the Restore and for the restored Deployments and StatefulSets to be ready, and reports the measured RTO against the
 * declared one. The drill is recorded on the namespace (haguard.dev/last-drill) and as an audit record, and the scratch
 * namespace is deleted unless --keep. The Restore object stays, as Velero's history of restores.
 */
@Command(name = "drill", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Restore NAMESPACE's newest Completed Velero backup into NAMESPACE-drill-<time>, measure the time "
                + "until its workloads are ready (the RTO), record it on the namespace, and clean up.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the restore completed and the workloads were ready within the RTO",
                "1:the drill failed (no backup, restore failed, workloads not ready in time) or took longer than the RTO",
                "2:usage, policy, connection or permission errors"})
public final class DrillCommand implements Callable<Integer> {

    /** Velero's terminal Restore phases (the Restore CRD's status.phase enum). */
    private static final Set<String> ENDED = Set.of("Completed", "PartiallyFailed", "Failed", "FailedValidation");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

    @Parameters(paramLabel = "NAMESPACE", description = "The namespace to drill.")
    String namespace;

    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "Kubeconfig (default: as kubectl finds it).")
    Path kubeconfig;

    @Option(names = "--context", paramLabel = "NAME", description = "Kubeconfig context (default: the current one).")
    String context;

    @Option(names = "--velero-namespace", paramLabel = "NS", defaultValue = "velero",
            description = "Where Velero keeps its Backups and Restores (default: ${DEFAULT-VALUE}).")
    String veleroNamespace;

    @Option(names = "--backup", paramLabel = "NAME", description = "Restore this Backup (default: the newest "
            + "Completed one that holds the namespace).")
    String backup;

    @Option(names = "--policy", paramLabel = "FILE", description = "Policy whose backups.rto applies (default: the "
            + "packaged default policy); the namespace's haguard.dev/rto may be stricter.")
    Path policy;

    @Option(names = "--rto", paramLabel = "DURATION", description = "Judge against this RTO instead (30m, 2h).")
    String rto;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "1h",
            description = "Give up after this long (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = "--poll", paramLabel = "DURATION", defaultValue = "5s", hidden = true)
    String poll;

    @Option(names = "--keep", description = "Keep the scratch namespace to look at.")
    boolean keep;

    @Option(names = "--audit-file", paramLabel = "FILE", description = "Append the drill's audit record to this file "
            + "(hash-chained, as the server's); without it the record goes to standard error as one JSON line.")
    Path auditFile;

    private PrintStream out;
    private PrintStream err;

    public static int run(String[] args, PrintStream out, PrintStream err) {
        DrillCommand command = new DrillCommand();
        command.out = out;
        command.err = err;
        return Verb.execute(command, "drill", args, out, err);
    }

    @Override
    public Integer call() {
        Duration limit;
        Duration every;
        Duration declared;
        try {
            limit = duration("--timeout", timeout);
            every = duration("--poll", poll);
            declared = rto == null ? null : duration("--rto", rto);
        } catch (IllegalArgumentException e) {
            err.println("drill: " + e.getMessage());
            return CheckCommand.UNUSABLE;
        }
        Policy rules = Verb.policy(new StandardRules(PolicyConfigMap.DEFAULT, "ha-guard"), policy, "drill", err);
        if (rules == null) {
            return CheckCommand.UNUSABLE;
        }
        try (KubernetesClient client = LiveCluster.connect(kubeconfig, context)) {
            Namespace ns = client.namespaces().withName(namespace).get();
            if (ns == null) {
                err.println("drill: namespace " + namespace + " does not exist");
                return CheckCommand.UNUSABLE;
            }
            Map<String, String> annotations = ns.getMetadata().getAnnotations() == null ? Map.of()
                    : ns.getMetadata().getAnnotations();
            if (declared == null) {
                Map<String, String> labels = ns.getMetadata().getLabels() == null ? Map.of() : ns.getMetadata().getLabels();
                BackupsConfig config = rules.scope(namespace, labels, Map.of()).rules().get(BackupsRule.SETTINGS);
                declared = Protection.objective(config, annotations).rto();
            }
            return drill(client, declared, limit, every);
        } catch (UnusableInput e) {
            err.println("drill: " + e.getMessage());
            return CheckCommand.UNUSABLE;
        } catch (KubernetesClientException e) {
            err.println("drill: the cluster refused or failed a request (" + e.getCode() + "): " + e.getMessage()
                    + (e.getCode() == 403 ? " (deploy/examples/restore-drill has the RBAC a drill needs)" : ""));
            return CheckCommand.UNUSABLE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("drill: interrupted");
            return CheckCommand.UNUSABLE;
        }
    }

    private int drill(KubernetesClient client, Duration declared, Duration limit, Duration every)
            throws InterruptedException {
        Instant started = Instant.now();
        Optional<JsonNode> source = source(client);
        if (source.isEmpty()) {
            String why = backup != null ? "Backup " + veleroNamespace + "/" + backup + " is not a Completed backup that "
                    + "holds namespace " + namespace : "no Completed Velero Backup holds namespace " + namespace;
            return finish(client, new DrillRecord(started, backup == null ? "" : backup, false, null, why), declared,
                    null, why + ". Fix: a Schedule that covers it (ha-guard scan says which), then drill again.");
        }
        String backupName = VeleroSchedules.name(source.get());
        String scratch = scratchName(namespace, started);
        GenericKubernetesResource restore = new GenericKubernetesResource();
        restore.setApiVersion("velero.io/v1");
        restore.setKind("Restore");
        restore.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(scratch)
                .withNamespace(veleroNamespace).addToLabels("app.kubernetes.io/managed-by", "ha-guard")
                .addToLabels("haguard.dev/drill-of", namespace).build());
        restore.setAdditionalProperty("spec", Map.of("backupName", backupName, "includedNamespaces", List.of(namespace),
                "namespaceMapping", Map.of(namespace, scratch)));
        client.genericKubernetesResources(Velero.RESTORES).inNamespace(veleroNamespace).resource(restore).create();
        Instant created = Instant.now();
        out.println("drill: restoring Backup " + backupName + " into namespace " + scratch + " (Restore "
                + veleroNamespace + "/" + scratch + ")");
        Instant deadline = created.plus(limit);
        JsonNode phase = waitForRestore(client, scratch, deadline, every);
        String ended = phase == null ? null : phase.path("status").path("phase").asText();
        String failure;
        if (ended == null) {
            failure = "Restore " + scratch + " did not finish within " + timeout;
        } else if (!ended.equals("Completed")) {
            failure = "Restore " + scratch + " ended " + ended + restoreDetail(phase);
        } else {
            failure = waitForWorkloads(client, scratch, deadline, every);
        }
        Duration measured = failure == null ? Duration.between(created, Instant.now()) : null;
        DrillRecord record = new DrillRecord(started, backupName, failure == null, measured,
                failure == null ? "" : failure);
        if (!keep) {
            client.namespaces().withName(scratch).delete();
        }
        return finish(client, record, declared, scratch, failure == null ? null : failure + ". Fix: velero restore "
                + "describe " + scratch + " --details" + (keep ? "; the namespace " + scratch + " is kept" : ""));
    }

    /** The Backup to restore: the one named, or the newest Completed one holding the namespace. */
    private Optional<JsonNode> source(KubernetesClient client) {
        List<JsonNode> candidates = new ArrayList<>();
        for (GenericKubernetesResource b : client.genericKubernetesResources(Velero.BACKUPS).inNamespace(veleroNamespace).list()
                .getItems()) {
            JsonNode tree = Json.tree(b);
            boolean named = backup == null || backup.equals(VeleroSchedules.name(tree));
            if (named && tree.path("status").path("phase").asText().equals("Completed")
                    && VeleroSchedules.holds(tree, namespace) != VeleroSchedules.Cover.NONE) {
                candidates.add(tree);
            }
        }
        return candidates.stream().max(Comparator.comparing(b -> b.path("status").path("completionTimestamp").asText()));
    }

    private JsonNode waitForRestore(KubernetesClient client, String name, Instant deadline, Duration every)
            throws InterruptedException {
        while (Instant.now().isBefore(deadline)) {
            GenericKubernetesResource r = client.genericKubernetesResources(Velero.RESTORES).inNamespace(veleroNamespace)
                    .withName(name).get();
            JsonNode tree = r == null ? null : Json.tree(r);
            if (tree != null && ENDED.contains(tree.path("status").path("phase").asText())) {
                return tree;
            }
            Thread.sleep(every.toMillis());
        }
        return null;
    }

    private static String restoreDetail(JsonNode restore) {
        JsonNode status = restore.path("status");
        List<String> parts = new ArrayList<>();
        if (!status.path("failureReason").asText().isEmpty()) {
            parts.add(status.path("failureReason").asText());
        }
        status.path("validationErrors").forEach(v -> parts.add(v.asText()));
        if (status.path("errors").asInt() > 0) {
            parts.add(status.path("errors").asInt() + " error(s)");
        }
        return parts.isEmpty() ? "" : " (" + String.join("; ", parts) + ")";
    }

    /** Null once every restored Deployment and StatefulSet has its replicas ready; else why not by the deadline. */
    private String waitForWorkloads(KubernetesClient client, String scratch, Instant deadline, Duration every)
            throws InterruptedException {
        List<String> waiting = List.of();
        while (Instant.now().isBefore(deadline)) {
            waiting = new ArrayList<>();
            for (var d : client.apps().deployments().inNamespace(scratch).list().getItems()) {
                int want = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
                int ready = d.getStatus() == null || d.getStatus().getReadyReplicas() == null ? 0
                        : d.getStatus().getReadyReplicas();
                if (ready < want) {
                    waiting.add("Deployment " + d.getMetadata().getName() + " " + ready + "/" + want);
                }
            }
            for (var s : client.apps().statefulSets().inNamespace(scratch).list().getItems()) {
                int want = s.getSpec().getReplicas() == null ? 1 : s.getSpec().getReplicas();
                int ready = s.getStatus() == null || s.getStatus().getReadyReplicas() == null ? 0
                        : s.getStatus().getReadyReplicas();
                if (ready < want) {
                    waiting.add("StatefulSet " + s.getMetadata().getName() + " " + ready + "/" + want);
                }
            }
            if (waiting.isEmpty()) {
                return null;
            }
            Thread.sleep(every.toMillis());
        }
        return "the restored workloads were not ready within " + timeout + ": " + String.join(", ", waiting) + " ready";
    }

    private int finish(KubernetesClient client, DrillRecord record, Duration declared, String scratch, String failure) {
        client.namespaces().withName(namespace).edit(n -> new NamespaceBuilder(n).editMetadata()
                .addToAnnotations(DrillRecord.ANNOTATION, record.toJson()).endMetadata().build());
        boolean late = record.passed() && declared != null && record.measuredRto().compareTo(declared) > 0;
        if (record.passed()) {
            out.println("drill: namespace " + namespace + " restored from Backup " + record.backup() + "; workloads ready "
                    + "after " + Protection.human(record.measuredRto()) + (declared == null ? " (no RTO declared)"
                    : late ? ", more than the RTO " + Protection.human(declared) : ", within the RTO "
                            + Protection.human(declared)) + (keep ? "; namespace " + scratch + " kept" : ""));
        } else {
            out.println("drill: FAILED for namespace " + namespace + ": " + failure);
        }
        audit(record, declared, scratch);
        return record.passed() && !late ? 0 : CheckCommand.DENIED;
    }

    private void audit(DrillRecord record, Duration declared, String scratch) {
        ObjectNode r = Json.MAPPER.createObjectNode().put("type", "drill").put("time", Instant.now().toString())
                .put("namespace", namespace).put("backup", record.backup()).put("restore", scratch)
                .put("decision", record.passed() ? "passed" : "failed");
        if (record.measuredRto() != null) {
            r.put("rtoSeconds", record.measuredRto().toSeconds());
        }
        if (declared != null) {
            r.put("declaredRtoSeconds", declared.toSeconds());
        }
        if (!record.detail().isEmpty()) {
            r.put("message", record.detail());
        }
        try (AuditTrail trail = new AuditTrail(auditFile == null ? err::println : line -> { }, auditFile,
                64L * 1024 * 1024, 5)) {
            trail.append(r);
        } catch (java.io.IOException e) {
            err.println("drill: the audit record could not be written to " + auditFile + ": " + e.getMessage());
        }
    }

    /** NAMESPACE-drill-<UTC time>, within the 63 characters a namespace name may have. */
    static String scratchName(String namespace, Instant at) {
        String suffix = "-drill-" + STAMP.format(at);
        String base = namespace.length() + suffix.length() > 63 ? namespace.substring(0, 63 - suffix.length())
                .replaceAll("-+$", "") : namespace;
        return base + suffix;
    }

    private static Duration duration(String option, String text) {
        if (!BackupsConfig.valid(text) || BackupsConfig.parse(text).isZero()) {
            throw new IllegalArgumentException(option + " \"" + text + "\" is not a duration such as 30m, 2h or 5s");
        }
        return BackupsConfig.parse(text);
    }
}

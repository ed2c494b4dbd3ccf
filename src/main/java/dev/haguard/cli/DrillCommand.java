package dev.haguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haguard.audit.Attestation;
import dev.haguard.audit.AuditTrail;
import dev.haguard.drill.Drill;
import dev.haguard.drill.Restores;
import dev.haguard.json.Json;
import dev.haguard.policy.Policy;
import dev.haguard.policy.PolicyConfigMap;
import dev.haguard.rules.StandardRules;
import dev.haguard.scan.UnusableInput;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
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

    @Option(names = "--signing-key", paramLabel = "FILE", description = "Sign the drill's evidence with this Ed25519 "
            + "private key (PEM, PKCS#8: openssl genpkey -algorithm ed25519), as an in-toto statement in a DSSE envelope "
            + "in the audit record; audit verify --key checks it. Mount it from a Secret.")
    Path signingKey;

    private PrintStream out;
    private PrintStream err;
    private java.security.PrivateKey key;

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
            limit = Restores.duration("--timeout", timeout);
            every = Restores.duration("--poll", poll);
            declared = rto == null ? null : Restores.duration("--rto", rto);
        } catch (IllegalArgumentException e) {
            err.println("drill: " + e.getMessage());
            return CheckCommand.UNUSABLE;
        }
        if (signingKey != null) {
            try {
                key = Attestation.privateKey(signingKey);
            } catch (java.io.IOException e) {
                err.println("drill: --signing-key: " + e.getMessage());
                return CheckCommand.UNUSABLE;
            }
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
            if (declared == null) {
                declared = Restores.declaredRto(rules, namespace, orNone(ns.getMetadata().getLabels()),
                        orNone(ns.getMetadata().getAnnotations()));
            }
            Drill.Evidence result = new Drill(client, new Drill.Plan(namespace, veleroNamespace, backup, limit, every,
                    keep)).run(progress -> out.println("drill: " + progress));
            return finish(result, declared);
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

    /** What the drill proves, as signed: the in-toto statement's predicate. */
    private ObjectNode evidence(Drill.Evidence record, Duration declared, String time) {
        ObjectNode e = Json.MAPPER.createObjectNode().put("namespace", namespace).put("time", time)
                .put("result", record.passed() ? "passed" : "failed");
        e.setAll(record.facts());
        if (record.measuredRto() != null) {
            e.put("measuredRtoSeconds", record.measuredRto().toSeconds());
        }
        if (declared != null) {
            e.put("declaredRtoSeconds", declared.toSeconds());
        }
        if (!record.detail().isEmpty()) {
            e.put("detail", record.detail());
        }
        return e;
    }

    /**
     * An in-toto Statement (v1) about the Backup restored. Its subject's digest is the SHA-256 of the Backup's uid:
     * Velero's backup contents are in object storage, out of the drill's reach, and the uid names that one Backup.
     */
    static ObjectNode statement(ObjectNode evidence) {
        ObjectNode s = Json.MAPPER.createObjectNode().put("_type", Attestation.STATEMENT);
        JsonNode backup = evidence.path("backup");
        s.putArray("subject").addObject().put("name", "velero.io/v1/Backup/" + backup.path("namespace").asText()
                + "/" + backup.path("name").asText()).putObject("digest").put("sha256",
                dev.haguard.json.Sha256.hex(backup.path("uid").asText()));
        s.put("predicateType", PREDICATE);
        s.set("predicate", evidence);
        return s;
    }

    /** The predicate type of a restore drill's evidence. */
    public static final String PREDICATE = "https://haguard.dev/restore-drill/v1";

    private static Map<String, String> orNone(Map<String, String> map) {
        return map == null ? Map.of() : map;
    }

    private int finish(Drill.Evidence record, Duration declared) {
        boolean late = record.passed() && declared != null && record.measuredRto().compareTo(declared) > 0;
        if (record.passed()) {
            out.println("drill: namespace " + namespace + " restored from Backup " + record.backup() + "; workloads ready "
                    + "after " + Restores.human(record.measuredRto()) + (declared == null ? " (no RTO declared)"
                    : late ? ", more than the RTO " + Restores.human(declared) : ", within the RTO "
                            + Restores.human(declared)) + (keep ? "; namespace " + record.scratch() + " kept" : ""));
        } else {
            out.println("drill: FAILED for namespace " + namespace + ": " + record.failure());
        }
        audit(record, declared, record.scratch());
        return record.passed() && !late ? 0 : CheckCommand.DENIED;
    }

    private void audit(Drill.Evidence record, Duration declared, String scratch) {
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
        ObjectNode evidence = evidence(record, declared, r.path("time").asText());
        r.set("evidence", evidence);
        if (key != null) {
            try {
                r.set("attestation", Attestation.envelope(statement(evidence), key));
            } catch (java.security.GeneralSecurityException e) {
                err.println("drill: the evidence could not be signed: " + e.getMessage());
            }
        }
        try (AuditTrail trail = new AuditTrail(auditFile == null ? err::println : line -> { }, auditFile,
                64L * 1024 * 1024, 5)) {
            trail.append(r);
        } catch (java.io.IOException e) {
            err.println("drill: the audit record could not be written to " + auditFile + ": " + e.getMessage());
        }
    }
}

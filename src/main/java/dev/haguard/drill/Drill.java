package dev.haguard.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haguard.cluster.Velero;
import dev.haguard.json.Json;
import dev.haguard.rules.backups.DrillRecord;
import dev.haguard.rules.backups.VeleroSchedules;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
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
import java.util.function.Consumer;

/**
 * A restore drill, measured: restores a namespace's newest Completed Velero Backup (or the one named) into a scratch
 * namespace with a Restore's namespaceMapping, waits for the Restore to end and for the restored Deployments and
 * StatefulSets to be ready, and records the result on the namespace (haguard.dev/last-drill, which the backups rule
 * reads). The Restore object stays, as Velero's history of restores; the scratch namespace is deleted unless kept.
 */
public final class Drill {

    /** Velero's terminal Restore phases (the Restore CRD's status.phase enum). */
    private static final Set<String> ENDED = Set.of("Completed", "PartiallyFailed", "Failed", "FailedValidation");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

    /**
     * What to drill: {@code backup} null for the newest Completed one holding the namespace; {@code limit} bounds the
     * whole wait, {@code every} the polling.
     */
    public record Plan(String namespace, String veleroNamespace, String backup, Duration limit, Duration every,
            boolean keep) {
    }

    /**
     * How it went, as recorded on the namespace: the backup restored, the measured RTO (null unless it passed),
     * {@code scratch} null where no Restore was made, {@code failure} null when it passed; {@code facts} what an auditor
     * checks it by: the Backup's and the Restore's uid, phase and times, the objects Velero restored, the workloads
     * ready.
     */
    public record Evidence(boolean passed, String backup, Duration measuredRto, String detail, String scratch,
            String failure, ObjectNode facts) {
    }

    private final KubernetesClient client;
    private final Plan plan;

    public Drill(KubernetesClient client, Plan plan) {
        this.client = client;
        this.plan = plan;
    }

    /** Runs the drill and records it on the namespace; {@code progress} hears what it does. */
    public Evidence run(Consumer<String> progress) throws InterruptedException {
        Instant started = Instant.now();
        Optional<JsonNode> source = source();
        if (source.isEmpty()) {
            String why = plan.backup() != null ? "Backup " + plan.veleroNamespace() + "/" + plan.backup() + " is not a "
                    + "Completed backup that holds namespace " + plan.namespace() : "no Completed Velero Backup holds "
                    + "namespace " + plan.namespace();
            return record(new DrillRecord(started, plan.backup() == null ? "" : plan.backup(), false, null, why), null,
                    why + ". Fix: a Schedule that covers it (ha-guard scan says which), then drill again.",
                    Json.MAPPER.createObjectNode());
        }
        String backupName = VeleroSchedules.name(source.get());
        String scratch = scratchName(plan.namespace(), started);
        GenericKubernetesResource restore = new GenericKubernetesResource();
        restore.setApiVersion("velero.io/v1");
        restore.setKind("Restore");
        restore.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(scratch)
                .withNamespace(plan.veleroNamespace()).addToLabels("app.kubernetes.io/managed-by", "ha-guard")
                .addToLabels("haguard.dev/drill-of", plan.namespace()).build());
        restore.setAdditionalProperty("spec", Map.of("backupName", backupName, "includedNamespaces",
                List.of(plan.namespace()), "namespaceMapping", Map.of(plan.namespace(), scratch)));
        client.genericKubernetesResources(Velero.RESTORES).inNamespace(plan.veleroNamespace()).resource(restore).create();
        Instant created = Instant.now();
        progress.accept("restoring Backup " + backupName + " into namespace " + scratch + " (Restore "
                + plan.veleroNamespace() + "/" + scratch + ")");
        Instant deadline = created.plus(plan.limit());
        JsonNode ended = waitForRestore(scratch, deadline);
        String phase = ended == null ? null : ended.path("status").path("phase").asText();
        String failure = phase == null ? "Restore " + scratch + " did not finish within " + Restores.human(plan.limit())
                : !phase.equals("Completed") ? "Restore " + scratch + " ended " + phase + Restores.detail(ended)
                : Restores.waitForWorkloads(client, scratch, deadline, plan.every(), plan.limit());
        Duration measured = failure == null ? Duration.between(created, Instant.now()) : null;
        DrillRecord record = new DrillRecord(started, backupName, failure == null, measured, failure == null ? ""
                : failure);
        ObjectNode facts = Json.MAPPER.createObjectNode();
        facts.set("backup", pick(source.get(), "status.phase", "status.startTimestamp", "status.completionTimestamp",
                "spec.storageLocation"));
        facts.set("restore", pick(ended != null ? ended : restoreNow(scratch), "status.phase", "status.startTimestamp",
                "status.completionTimestamp", "status.progress.itemsRestored", "status.progress.totalItems",
                "status.warnings", "status.errors"));
        facts.set("workloads", Restores.workloadCounts(client, scratch));
        if (!plan.keep()) {
            client.namespaces().withName(scratch).delete();
        }
        return record(record, scratch, failure == null ? null : failure + ". Fix: velero restore describe " + scratch
                + " --details" + (plan.keep() ? "; the namespace " + scratch + " is kept" : ""), facts);
    }

    private Evidence record(DrillRecord record, String scratch, String failure, ObjectNode facts) {
        client.namespaces().withName(plan.namespace()).edit(n -> new NamespaceBuilder(n).editMetadata()
                .addToAnnotations(DrillRecord.ANNOTATION, record.toJson()).endMetadata().build());
        return new Evidence(record.passed(), record.backup(), record.measuredRto(), record.detail(), scratch, failure,
                facts);
    }

    /** The Restore as it stands (one that did not end in time), or a missing node. */
    private JsonNode restoreNow(String name) {
        GenericKubernetesResource r = client.genericKubernetesResources(Velero.RESTORES)
                .inNamespace(plan.veleroNamespace()).withName(name).get();
        return r == null ? Json.MAPPER.missingNode() : Json.tree(r);
    }

    /** Of a Velero object, its namespace, name and uid, and the given paths (dotted) where set, under their last part. */
    private static ObjectNode pick(JsonNode object, String... paths) {
        JsonNode meta = object.path("metadata");
        ObjectNode out = Json.MAPPER.createObjectNode().put("namespace", meta.path("namespace").asText())
                .put("name", meta.path("name").asText()).put("uid", meta.path("uid").asText());
        for (String path : paths) {
            JsonNode value = object;
            for (String part : path.split("\\.")) {
                value = value.path(part);
            }
            if (!value.isMissingNode() && !value.isNull()) {
                out.set(path.substring(path.lastIndexOf('.') + 1), value);
            }
        }
        return out;
    }

    /** The Backup to restore: the one named, or the newest Completed one holding the namespace. */
    private Optional<JsonNode> source() {
        List<JsonNode> candidates = new ArrayList<>();
        for (GenericKubernetesResource b : client.genericKubernetesResources(Velero.BACKUPS)
                .inNamespace(plan.veleroNamespace()).list().getItems()) {
            JsonNode tree = Json.tree(b);
            boolean named = plan.backup() == null || plan.backup().equals(VeleroSchedules.name(tree));
            if (named && tree.path("status").path("phase").asText().equals("Completed")
                    && VeleroSchedules.holds(tree, plan.namespace()) != VeleroSchedules.Cover.NONE) {
                candidates.add(tree);
            }
        }
        return candidates.stream().max(Comparator.comparing(b -> b.path("status").path("completionTimestamp").asText()));
    }

    private JsonNode waitForRestore(String name, Instant deadline) throws InterruptedException {
        while (Instant.now().isBefore(deadline)) {
            GenericKubernetesResource r = client.genericKubernetesResources(Velero.RESTORES)
                    .inNamespace(plan.veleroNamespace()).withName(name).get();
            JsonNode tree = r == null ? null : Json.tree(r);
            if (tree != null && ENDED.contains(tree.path("status").path("phase").asText())) {
                return tree;
            }
            Thread.sleep(plan.every().toMillis());
        }
        return null;
    }

    /** NAMESPACE-drill-<UTC time>, within the 63 characters a namespace name may have. */
    public static String scratchName(String namespace, Instant at) {
        String suffix = "-drill-" + STAMP.format(at);
        String base = namespace.length() + suffix.length() > 63 ? namespace.substring(0, 63 - suffix.length())
                .replaceAll("-+$", "") : namespace;
        return base + suffix;
    }
}

package dev.haguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.haguard.cluster.CrdAwareDispatcher;
import dev.haguard.rules.backups.DrillRecord;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ha-guard drill against the fabric8 mock API server with Velero's CRDs installed, the test playing Velero's part: it
 * moves the Restore to its end phase (the Restore CRD's status.phase, ../shared/crds/velero) and brings up the
 * restored workload in the mapped namespace.
 */
class DrillCommandTest {

    @TempDir
    Path dir;

    private KubernetesMockServer server;
    private KubernetesClient kube;
    private Path kubeconfig;

    @BeforeEach
    void start() throws Exception {
        server = CrdAwareDispatcher.server();
        kube = server.createClient();
        CrdAwareDispatcher.install(kube, "velero/velero.io_schedules", "velero/velero.io_backups",
                "velero/velero.io_restores", "velero/velero.io_backupstoragelocations");
        kube.resource(new NamespaceBuilder().withNewMetadata().withName("shop").addToAnnotations("haguard.dev/rto", "30m")
                .endMetadata().build()).create();
        kubeconfig = ScanRun.kubeconfig(dir, kube.getMasterUrl().toString());
    }

    @AfterEach
    void stop() {
        kube.close();
        server.destroy();
    }

    private void backup(String name, String phase, String completed, String included) throws Exception {
        kube.resource(new YAMLMapper().readValue("""
                apiVersion: velero.io/v1
                kind: Backup
                metadata: {name: %s, namespace: velero, labels: {velero.io/schedule-name: nightly}}
                spec: {includedNamespaces: %s}
                status: {phase: %s, completionTimestamp: '%s'}
                """.formatted(name, included, phase, completed), GenericKubernetesResource.class)).create();
    }

    /** Velero's part: waits for the drill's Restore, then ends it in {@code phase} and, if Completed, restores a ready web. */
    private CompletableFuture<GenericKubernetesResource> velero(String phase, String failureReason) {
        return CompletableFuture.supplyAsync(() -> {
            var restores = kube.genericKubernetesResources("velero.io/v1", "Restore").inNamespace("velero");
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (restores.list().getItems().isEmpty() && System.nanoTime() < until) {
                sleep(50);
            }
            GenericKubernetesResource restore = restores.list().getItems().get(0);
            @SuppressWarnings("unchecked")
            Map<String, String> mapping = (Map<String, String>) ((Map<String, Object>) restore.getAdditionalProperties()
                    .get("spec")).get("namespaceMapping");
            String scratch = mapping.get("shop");
            if (phase.equals("Completed")) {
                kube.resource(new NamespaceBuilder().withNewMetadata().withName(scratch).endMetadata().build()).create();
                Deployment web = kube.resource(new DeploymentBuilder().withNewMetadata().withName("web")
                        .withNamespace(scratch).endMetadata().withNewSpec().withReplicas(2).endSpec().withNewStatus()
                        .withReadyReplicas(0).endStatus().build()).create();
                GenericKubernetesResource done = restores.withName(restore.getMetadata().getName()).get();
                done.setAdditionalProperty("status", Map.of("phase", "Completed", "startTimestamp", Instant.now()
                        .toString(), "progress", Map.of("itemsRestored", 12, "totalItems", 12), "warnings", 1));
                restores.resource(done).update();
                sleep(300);
                web.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder().withReadyReplicas(2)
                        .build());
                kube.resource(web).updateStatus();
            } else {
                GenericKubernetesResource done = restores.withName(restore.getMetadata().getName()).get();
                done.setAdditionalProperty("status", Map.of("phase", phase, "failureReason", failureReason));
                restores.resource(done).update();
            }
            return restore;
        });
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private DrillRecord recorded() {
        String text = kube.namespaces().withName("shop").get().getMetadata().getAnnotations().get(DrillRecord.ANNOTATION);
        return DrillRecord.parse(text).orElseThrow();
    }

    @Test
    void the_newest_completed_backup_is_restored_into_a_scratch_namespace_and_the_rto_measured() throws Exception {
        backup("nightly-20261129020000", "Completed", "2026-11-29T02:10:00Z", "['*']");
        backup("nightly-20261130020000", "Completed", "2026-11-30T02:10:00Z", "[shop]");
        backup("nightly-20261201020000", "Failed", "2026-12-01T02:10:00Z", "[shop]");
        backup("other-20261201030000", "Completed", "2026-12-01T03:10:00Z", "[web]");
        CompletableFuture<GenericKubernetesResource> velero = velero("Completed", null);
        Path audit = dir.resolve("audit.jsonl");

        ScanRun run = ScanRun.drill("shop", "--kubeconfig", kubeconfig.toString(), "--poll", "1s",
                "--audit-file", audit.toString());

        GenericKubernetesResource restore = velero.get(30, TimeUnit.SECONDS);
        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) restore.getAdditionalProperties().get("spec");
        String scratch = restore.getMetadata().getName();
        assertThat(scratch).matches("shop-drill-\\d{14}");
        assertThat(spec).containsEntry("backupName", "nightly-20261130020000")
                .containsEntry("namespaceMapping", Map.of("shop", scratch))
                .containsEntry("includedNamespaces", List.of("shop"));
        assertThat(run.out()).contains("restored from Backup nightly-20261130020000; workloads ready after",
                "within the RTO 30m");
        DrillRecord drill = recorded();
        assertThat(drill.passed()).isTrue();
        assertThat(drill.backup()).isEqualTo("nightly-20261130020000");
        assertThat(drill.measuredRto()).isPositive().isLessThan(java.time.Duration.ofSeconds(20));
        assertThat(drill.time()).isBefore(Instant.now());
        assertThat(kube.namespaces().withName(scratch).get()).as("the scratch namespace is deleted").isNull();
        assertThat(Files.readString(audit)).contains("\"type\":\"drill\"", "\"namespace\":\"shop\"",
                "\"decision\":\"passed\"", "\"declaredRtoSeconds\":1800");
        assertThat(AuditRun.of("verify", audit.toString()).exit()).as("the drill's audit file verifies").isZero();
        assertThat(AuditRun.of("summary", audit.toString()).out()).contains("restore drills: 1", "shop  passed  RTO ",
                "(declared 1800 s)  backup nightly-20261130020000");
    }

    /**
     * Signed with a key openssl made: the evidence names the Backup and the Restore by uid and phase, what
     * Velero restored and the workloads ready; audit verify --key vouches for it, and not once it is edited.
     */
    @Test
    void signed_evidence_names_the_backup_and_restore_and_verifies_until_it_is_edited() throws Exception {
        backup("nightly-20261130020000", "Completed", "2026-11-30T02:10:00Z", "[shop]");
        CompletableFuture<GenericKubernetesResource> velero = velero("Completed", null);
        Path audit = dir.resolve("audit.jsonl");
        Path key = dev.haguard.audit.TestKeys.openssl(Files.createDirectories(dir.resolve("keys")));
        String pub = dev.haguard.audit.TestKeys.publicOf(key).toString();

        ScanRun run = ScanRun.drill("shop", "--kubeconfig", kubeconfig.toString(), "--poll", "1s",
                "--audit-file", audit.toString(), "--signing-key", key.toString());

        GenericKubernetesResource restore = velero.get(30, TimeUnit.SECONDS);
        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        List<String> lines = Files.readAllLines(audit);
        var record = dev.haguard.json.Json.MAPPER.readTree(lines.get(lines.size() - 1));
        var evidence = record.path("evidence");
        String backupUid = kube.genericKubernetesResources("velero.io/v1", "Backup").inNamespace("velero")
                .withName("nightly-20261130020000").get().getMetadata().getUid();
        assertThat(backupUid).isNotEmpty();
        assertThat(evidence.path("backup").path("uid").asText()).isEqualTo(backupUid);
        assertThat(evidence.path("backup").path("phase").asText()).isEqualTo("Completed");
        assertThat(evidence.path("restore").path("name").asText()).isEqualTo(restore.getMetadata().getName());
        assertThat(evidence.path("restore").path("uid").asText()).isEqualTo(restore.getMetadata().getUid());
        assertThat(evidence.path("restore").path("phase").asText()).isEqualTo("Completed");
        assertThat(evidence.path("restore").path("itemsRestored").asInt()).isEqualTo(12);
        assertThat(evidence.path("restore").path("warnings").asInt()).isEqualTo(1);
        assertThat(evidence.path("workloads").toString()).isEqualTo("{\"total\":1,\"ready\":1}");
        assertThat(evidence.path("measuredRtoSeconds").asLong()).isEqualTo(record.path("rtoSeconds").asLong());
        assertThat(evidence.path("declaredRtoSeconds").asLong()).isEqualTo(1800);
        assertThat(record.path("attestation").path("payloadType").asText()).isEqualTo("application/vnd.in-toto+json");

        AuditRun verified = AuditRun.of("verify", "--key", pub, audit.toString());
        assertThat(verified.exit()).as(verified.out() + verified.err()).isZero();
        assertThat(verified.out()).contains("drill evidence: 1 of 1 drill record(s) signed by key");

        // The newest record is vouched for by no later hash: only the signature shows the edit.
        Files.writeString(audit, String.join("\n", lines).replace("\"itemsRestored\":12", "\"itemsRestored\":13")
                + "\n");
        AuditRun edited = AuditRun.of("verify", "--key", pub, audit.toString());
        assertThat(edited.exit()).isEqualTo(1);
        assertThat(edited.out()).contains("OK: ", "UNVERIFIED: ", "the record's evidence differs from what was signed");
        assertThat(AuditRun.of("verify", audit.toString()).exit()).as("without --key the chain alone is checked")
                .isZero();

        var unsigned = (com.fasterxml.jackson.databind.node.ObjectNode) dev.haguard.json.Json.MAPPER.readTree(
                lines.get(lines.size() - 1));
        unsigned.remove("attestation");
        lines.set(lines.size() - 1, unsigned.toString());
        Files.writeString(audit, String.join("\n", lines) + "\n");
        assertThat(AuditRun.of("verify", "--key", pub, audit.toString()).out()).contains("unsigned (drill ran without "
                + "--signing-key)");
    }

    @Test
    void a_failed_restore_is_a_failed_drill_recorded_with_velero_s_reason() throws Exception {
        backup("nightly-20261130020000", "Completed", "2026-11-30T02:10:00Z", "[shop]");
        CompletableFuture<GenericKubernetesResource> velero = velero("Failed", "error getting backup store");

        ScanRun run = ScanRun.drill("shop", "--kubeconfig", kubeconfig.toString(), "--poll", "1s");

        velero.get(30, TimeUnit.SECONDS);
        assertThat(run.exit()).isEqualTo(CheckCommand.DENIED);
        assertThat(run.out()).contains("drill: FAILED for namespace shop: Restore shop-drill-", "ended Failed (error "
                + "getting backup store)", "velero restore describe shop-drill-");
        assertThat(run.err()).as("the audit record goes to stderr").contains("\"decision\":\"failed\"");
        DrillRecord drill = recorded();
        assertThat(drill.passed()).isFalse();
        assertThat(drill.measuredRto()).isNull();
        assertThat(drill.detail()).contains("ended Failed (error getting backup store)");
    }

    @Test
    void without_a_completed_backup_there_is_nothing_to_drill_and_that_is_recorded() throws Exception {
        backup("nightly-20261201020000", "PartiallyFailed", "2026-12-01T02:10:00Z", "[shop]");

        ScanRun run = ScanRun.drill("shop", "--kubeconfig", kubeconfig.toString());

        assertThat(run.exit()).isEqualTo(CheckCommand.DENIED);
        assertThat(run.out()).contains("no Completed Velero Backup holds namespace shop");
        assertThat(recorded().passed()).isFalse();
        assertThat(kube.genericKubernetesResources("velero.io/v1", "Restore").inNamespace("velero").list().getItems())
                .as("no Restore is created").isEmpty();
    }

    @Test
    void a_signing_key_that_is_no_ed25519_key_is_a_usage_error_before_anything_is_restored() throws Exception {
        Path notKey = dir.resolve("key.pem");
        Files.writeString(notKey, "not a key");

        ScanRun run = ScanRun.drill("shop", "--kubeconfig", kubeconfig.toString(), "--signing-key", notKey.toString());

        assertThat(run.exit()).isEqualTo(CheckCommand.UNUSABLE);
        assertThat(run.err()).contains("--signing-key", "holds no PEM block");
        assertThat(kube.genericKubernetesResources("velero.io/v1", "Restore").inNamespace("velero").list().getItems())
                .isEmpty();
    }

    @Test
    void a_missing_namespace_and_bad_durations_are_usage_errors() {
        assertThat(ScanRun.drill("nowhere", "--kubeconfig", kubeconfig.toString()).err())
                .contains("namespace nowhere does not exist");
        ScanRun bad = ScanRun.drill("shop", "--kubeconfig", kubeconfig.toString(), "--timeout", "soon");
        assertThat(bad.exit()).isEqualTo(CheckCommand.UNUSABLE);
        assertThat(bad.err()).contains("--timeout \"soon\" is not a duration");
    }

    @Test
    void scratch_names_fit_in_63_characters() {
        String name = dev.haguard.drill.Drill.scratchName("a".repeat(60), Instant.parse("2026-12-01T04:00:00Z"));
        assertThat(name).hasSizeLessThanOrEqualTo(63).endsWith("-drill-20261201040000");
    }
}

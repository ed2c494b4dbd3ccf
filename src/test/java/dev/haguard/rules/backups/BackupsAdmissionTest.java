package dev.haguard.rules.backups;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haguard.Admissions;
import dev.haguard.Policies;
import dev.haguard.engine.ClusterView;
import dev.haguard.engine.Decision;
import dev.haguard.engine.Operation;
import dev.haguard.engine.Outcome;
import dev.haguard.engine.Webhook;
import dev.haguard.json.Json;
import dev.haguard.policy.Policy;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The backups rule on the validating webhook, with the cluster as the informers would show it. */
class BackupsAdmissionTest {

    private static final Policy ENFORCE = Policies.of("defaults: {backups: {mode: enforce}}");

    static GenericKubernetesResource schedule(String name, String cron, String template) {
        return fromYaml("""
                apiVersion: velero.io/v1
                kind: Schedule
                metadata: {name: %s, namespace: velero}
                spec: {schedule: '%s', template: %s}
                """.formatted(name, cron, template));
    }

    static GenericKubernetesResource fromYaml(String yaml) {
        try {
            return new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readValue(yaml, GenericKubernetesResource.class);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A cluster whose caches hold these schedules, with data in shop and db, and nothing in web. */
    static ClusterView cluster(boolean velero, Map<String, String> shopAnnotations, GenericKubernetesResource... schedules) {
        List<JsonNode> trees = java.util.Arrays.stream(schedules).map(Json::tree).toList();
        return new ClusterView() {
            @Override
            public Optional<Backups> backups() {
                return Optional.of(new Backups(velero, trees, Set.of("shop", "db", "web")));
            }

            @Override
            public Optional<Set<String>> namespacesWithData() {
                return Optional.of(Set.of("shop", "db"));
            }

            @Override
            public Map<String, String> namespaceAnnotations(String namespace) {
                return namespace.equals("shop") ? shopAnnotations : Map.of();
            }
        };
    }

    private static StatefulSet database(boolean claims) {
        var b = new StatefulSetBuilder().withNewMetadata().withName("pg").withNamespace("shop").endMetadata()
                .withNewSpec().withReplicas(3).withNewTemplate().withNewSpec().addNewContainer().withName("pg")
                .withImage("postgres:16.4").endContainer().endSpec().endTemplate();
        if (claims) {
            b.addNewVolumeClaimTemplate().withNewMetadata().withName("data").endMetadata().endVolumeClaimTemplate();
        }
        return b.endSpec().build();
    }

    private static Decision validate(dev.haguard.engine.Admission admission, ClusterView cluster) {
        return Policies.run(admission, ENFORCE, Webhook.VALIDATE, cluster);
    }

    @Test
    void a_statefulset_with_claims_in_an_unprotected_namespace_is_denied_with_a_ready_to_apply_schedule() throws Exception {
        Decision denied = validate(Admissions.create(database(true)), cluster(true, Map.of()));

        assertThat(denied.allowed()).isFalse();
        assertThat(denied.message()).contains("StatefulSet shop/pg keeps data in namespace shop, and no Velero Schedule "
                + "backs up its data (RPO 24h)", "Fix: kubectl apply -f - <<< '");
        String schedule = denied.message().substring(denied.message().indexOf("<<< '") + 5,
                denied.message().lastIndexOf('\''));
        JsonNode offered = Json.MAPPER.readTree(schedule);
        assertThat(offered.path("spec").path("schedule").asText()).isEqualTo("0 2 * * *");
        assertThat(VeleroSchedules.covers(offered, "shop")).as("the offered Schedule covers the namespace")
                .isEqualTo(VeleroSchedules.Cover.FULL);
        assertThat(CronGaps.longestGap(offered.path("spec").path("schedule").asText())).isLessThanOrEqualTo(
                java.time.Duration.ofHours(24));
    }

    @Test
    void a_claim_is_judged_against_the_namespaces_stricter_rpo_and_passes_once_a_schedule_meets_it() {
        var claim = new PersistentVolumeClaimBuilder().withNewMetadata().withName("data").withNamespace("shop")
                .endMetadata().build();
        ClusterView nightly = cluster(true, Map.of("haguard.dev/rpo", "4h"), schedule("nightly", "0 2 * * *", "{}"));
        ClusterView sixHourly = cluster(true, Map.of("haguard.dev/rpo", "4h"), schedule("often", "0 */4 * * *",
                "{includedNamespaces: ['sh*']}"));

        Decision tooRare = validate(Admissions.create(claim), nightly);
        assertThat(tooRare.allowed()).isFalse();
        assertThat(tooRare.message()).contains("Schedule nightly ('0 2 * * *') leaves up to 24h between backups, more "
                + "than the RPO 4h", "set spec.schedule of Schedule velero/nightly to '0 */4 * * *'");
        assertThat(validate(Admissions.create(claim), sixHourly).allowed()).isTrue();
    }

    @Test
    void a_claim_a_statefulset_controller_creates_is_not_judged_again() {
        var claim = new PersistentVolumeClaimBuilder().withNewMetadata().withName("data-pg-0").withNamespace("shop")
                .endMetadata().build();
        var a = Admissions.create(claim);
        var byController = new dev.haguard.engine.Admission(a.uid(), a.operation(), a.type(), a.namespace(), a.name(),
                false, new dev.haguard.engine.Admission.User("system:serviceaccount:kube-system:statefulset-controller",
                        List.of("system:serviceaccounts")), a.object(), null);

        Decision d = validate(byController, cluster(true, Map.of()));

        assertThat(d.allowed()).isTrue();
        assertThat(Policies.rule(d, "backups").outcome()).isEqualTo(Outcome.SKIP);
        assertThat(validate(a, cluster(true, Map.of())).allowed()).as("the same claim by a person").isFalse();
    }

    @Test
    void no_velero_is_said_plainly_and_unknown_state_or_no_claims_is_skipped() {
        Decision noVelero = validate(Admissions.create(database(true)), cluster(false, Map.of()));
        assertThat(noVelero.message()).contains("Velero is not installed in this cluster");
        assertThat(Policies.rule(validate(Admissions.create(database(false)), cluster(false, Map.of())), "backups")
                .outcome()).isEqualTo(Outcome.SKIP);
        assertThat(Policies.rule(validate(Admissions.create(database(true)), ClusterView.NONE), "backups").outcome())
                .isEqualTo(Outcome.SKIP);
    }

    @Test
    void deleting_the_last_covering_schedule_names_every_namespace_it_exposes() {
        GenericKubernetesResource nightly = schedule("nightly", "0 2 * * *", "{}");
        ClusterView cluster = cluster(true, Map.of(), nightly);

        Decision delete = validate(Admissions.of(Operation.DELETE, null, nightly, ""), cluster);

        assertThat(delete.allowed()).isFalse();
        assertThat(delete.message()).contains("Deleting Schedule velero/nightly leaves 2 namespace(s) without a backup "
                + "within their RPO: db (no Velero Schedule backs up its data); shop (no Velero Schedule",
                "first apply a Schedule that covers them").doesNotContain("web (");
    }

    @Test
    void deleting_one_of_two_covering_schedules_pausing_widening_and_excluding_are_each_judged() {
        GenericKubernetesResource nightly = schedule("nightly", "0 2 * * *", "{}");
        GenericKubernetesResource shopOnly = schedule("shop", "0 */6 * * *", "{includedNamespaces: [shop]}");
        ClusterView both = cluster(true, Map.of(), nightly, shopOnly);

        assertThat(validate(Admissions.of(Operation.DELETE, null, shopOnly, ""), both).allowed())
                .as("nightly still covers shop").isTrue();

        GenericKubernetesResource paused = schedule("nightly", "0 2 * * *", "{}");
        paused.setAdditionalProperty("spec", Map.of("schedule", "0 2 * * *", "paused", true, "template", Map.of()));
        Decision pause = validate(Admissions.update(nightly, paused), both);
        assertThat(pause.message()).contains("This change to Schedule velero/nightly leaves 1 namespace(s)", "db (")
                .doesNotContain("shop (");

        Decision weekly = validate(Admissions.update(nightly, schedule("nightly", "0 2 * * 0", "{}")), both);
        assertThat(weekly.message()).contains("db (Schedule nightly ('0 2 * * 0') leaves up to 7d between backups");

        Decision excluded = validate(Admissions.update(nightly, schedule("nightly", "0 2 * * *",
                "{excludedNamespaces: ['d?']}")), both);
        assertThat(excluded.message()).contains("db (no Velero Schedule backs up its data)");
    }

    @Test
    void velero_writing_status_is_not_judged_and_a_cron_velero_refuses_is_denied() {
        GenericKubernetesResource nightly = schedule("nightly", "0 2 * * *", "{}");
        GenericKubernetesResource ran = schedule("nightly", "0 2 * * *", "{}");
        ran.setAdditionalProperty("status", Map.of("phase", "Enabled", "lastBackup", "2026-12-01T02:00:00Z"));

        assertThat(Policies.rule(validate(Admissions.update(nightly, ran), cluster(true, Map.of(), nightly)), "backups")
                .message()).isEqualTo("spec unchanged");
        Decision broken = validate(Admissions.create(schedule("typo", "0 2 * *", "{}")), cluster(true, Map.of()));
        assertThat(broken.allowed()).isFalse();
        assertThat(broken.message()).contains("Schedule velero/typo: spec.schedule \"0 2 * *\" is not a cron expression "
                + "Velero accepts", "Velero never runs it");
    }

    @Test
    void creating_a_schedule_that_exposes_nothing_is_admitted_even_when_other_namespaces_are_exposed() {
        Decision create = validate(Admissions.create(schedule("logs", "0 3 * * *", "{includedNamespaces: [web]}")),
                cluster(true, Map.of()));

        assertThat(create.allowed()).isTrue();
    }
}

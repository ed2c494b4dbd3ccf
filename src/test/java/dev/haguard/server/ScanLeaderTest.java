package dev.haguard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.haguard.scan.ScanReport;
import dev.haguard.cluster.CrdAwareDispatcher;
import dev.haguard.policy.Policy;
import dev.haguard.rules.StandardRules;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two replicas against one mock API server: one leads the background scan and writes; the other takes over. */
class ScanLeaderTest {

    private static final ScanLeader.Timing FAST = new ScanLeader.Timing(Duration.ofSeconds(2), Duration.ofMillis(1500),
            Duration.ofMillis(200), Duration.ofMillis(300), Duration.ofSeconds(2));

    private KubernetesMockServer server;
    private CrdAwareDispatcher dispatcher;
    private KubernetesClient admin;

    /** One replica: its own client, its results. */
    private final class Replica implements AutoCloseable {
        final KubernetesClient client = server.createClient();
        final List<ScanReport> results = new CopyOnWriteArrayList<>();
        final ScanLeader leader;

        final List<Throwable> failures = new CopyOnWriteArrayList<>();

        Replica(String name, ScanLeader.Policies policies) {
            this(name, policies, 5000);
        }

        Replica(String name, ScanLeader.Policies policies, int maxObjects) {
            this(name, policies, new ScanLeader.Limits(maxObjects, 0.8));
        }

        Replica(String name, ScanLeader.Policies policies, ScanLeader.Limits limits) {
            this(name, policies, limits, FAST);
        }

        Replica(String name, ScanLeader.Policies policies, ScanLeader.Limits limits, ScanLeader.Timing timing) {
            leader = new ScanLeader(client, "ha-guard", name, policies, StandardRules.DEFAULT, Duration.ofHours(1), limits, timing,
                    new PolicyReports(client, PolicyReports.Api.POLICYREPORT), (r, took) -> results.add(r), failures::add);
            leader.start();
        }

        @Override
        public void close() {
            leader.close();
            client.close();
        }
    }

    @BeforeEach
    void start() throws Exception {
        dispatcher = new CrdAwareDispatcher();
        server = CrdAwareDispatcher.server(dispatcher);
        admin = server.createClient();
        PolicyReportsTest.installReportCrds(admin);
        admin.resource(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata().build()).create();
        admin.resource(PolicyReportsTest.deployment("shop", "api", 1)).create();
    }

    @AfterEach
    void stop() {
        admin.close();
        server.destroy();
    }

    private static ScanLeader.Policies fixed(Policy policy, String digest) {
        return new ScanLeader.Policies() {
            @Override
            public Policy policy() {
                return policy;
            }

            @Override
            public String digest() {
                return digest;
            }
        };
    }

    @Test
    void one_replica_leads_and_writes_and_another_takes_over_when_it_dies() {
        Policy policy = StandardRules.DEFAULT.parser().packagedDefault();
        try (Replica a = new Replica("a", fixed(policy, "d1")); Replica b = new Replica("b", fixed(policy, "d1"))) {
            await().atMost(Duration.ofSeconds(15)).until(() -> a.leader.leading() || b.leader.leading());
            Replica first = a.leader.leading() ? a : b;
            Replica second = first == a ? b : a;
            await().atMost(Duration.ofSeconds(15)).until(() -> !first.results.isEmpty());
            assertThat(first.results.get(0).findings()).anySatisfy(f -> assertThat(f.rule()).isEqualTo("minReplicas"));
            assertThat(admin.genericKubernetesResources("wgpolicyk8s.io/v1alpha2", "PolicyReport").inNamespace("shop")
                    .withName("ha-guard").get()).isNotNull();
            assertThat(second.leader.leading()).isFalse();
            assertThat(second.results).as("a replica that does not lead never scans nor writes").isEmpty();

            long died = System.nanoTime();
            first.client.close(); // no release: its renewals fail, and the Lease runs out
            await().atMost(Duration.ofSeconds(15)).until(() -> second.leader.leading() && !second.results.isEmpty());
            System.out.printf("taken over %d ms after the leader died (lease %s)%n", (System.nanoTime() - died) / 1_000_000,
                    FAST.lease());
            assertThat(second.leader.leader()).isEqualTo(second.leader.identity());
        }
    }

    @Test
    void a_cluster_larger_than_max_objects_is_not_scanned_and_says_why() {
        try (Replica small = new Replica("small", fixed(StandardRules.DEFAULT.parser().packagedDefault(), "d"), 1)) {
            await().atMost(Duration.ofSeconds(15)).until(() -> !small.failures.isEmpty());
            assertThat(small.failures.get(0).getMessage()).contains("holds 2 objects to judge, more than haguard.scan.max-objects 1",
                    "scan skipped");
            assertThat(small.results).isEmpty();
        }
    }

    /**
     * The valve that holds whatever the cluster's size: past the heap share after a collection, the leader lets go of
     * its informers and says why at each scan, instead of the replica (and the admission it serves) running out of
     * memory. A share this small is crossed by any heap.
     */
    @Test
    void a_leader_past_its_heap_share_lets_go_of_the_cluster_and_says_why() {
        Policy policy = StandardRules.DEFAULT.parser().packagedDefault();
        ScanLeader.Policies changing = new ScanLeader.Policies() { // a scan is due at every policy check
            @Override
            public Policy policy() {
                return policy;
            }

            @Override
            public String digest() {
                return "d" + System.nanoTime();
            }
        };
        // A lease of 15 s, as deployed: the full collections this test forces must not cost the leader its Lease.
        ScanLeader.Timing timing = new ScanLeader.Timing(Duration.ofSeconds(15), Duration.ofSeconds(10),
                Duration.ofMillis(200), Duration.ofMillis(300), Duration.ofSeconds(2));
        try (Replica tight = new Replica("tight", changing, new ScanLeader.Limits(5000, 1e-9), timing)) {
            await().atMost(Duration.ofSeconds(15)).until(() -> tight.leader.leading());
            await().atMost(Duration.ofSeconds(15)).until(() -> {
                System.gc(); // the JVM checks the share at a collection
                return !tight.failures.isEmpty();
            });
            assertThat(tight.failures.get(0).getMessage()).contains("haguard.scan.heap-limit", "were stopped on this "
                    + "replica rather than run it out of memory", "scan is skipped", "Raise the memory limit");
            assertThat(tight.leader.leading()).as("it still holds the Lease").isTrue();
            int before = tight.results.size();
            await().atMost(Duration.ofSeconds(15)).until(() -> tight.failures.size() >= 3);
            assertThat(tight.failures).as("each scan due says why it skips").allSatisfy(f -> assertThat(f.getMessage())
                    .contains("haguard.scan.heap-limit"));
            assertThat(tight.results).as("and none scans").hasSize(before);
        }
    }

    @Test
    void informers_that_cannot_list_stop_the_scan_rather_than_judge_part_of_the_cluster() {
        dispatcher.refuse("/api/v1/pods", 403);
        try (Replica only = new Replica("only", fixed(StandardRules.DEFAULT.parser().packagedDefault(), "d"))) {
            await().atMost(Duration.ofSeconds(15)).until(() -> !only.failures.isEmpty());
            assertThat(only.failures.get(0).getMessage()).contains("have not listed Pod", "RBAC", "scan skipped");
            assertThat(only.results).isEmpty();
        }
    }

    /**
     * Velero served but its Schedules not listed yet (a slow list, or list/watch missing from the RBAC): judged then,
     * every namespace with data would read as not backed up, in the reports and as +Inf backup ages. The scan waits,
     * says why, and runs as soon as the list arrives.
     */
    @Test
    void velero_not_listed_yet_stops_the_scan_rather_than_report_backups_as_not_taken() {
        CrdAwareDispatcher.install(admin, "velero/velero.io_schedules", "velero/velero.io_backups",
                "velero/velero.io_restores", "velero/velero.io_backupstoragelocations");
        admin.resource(new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder().withNewMetadata()
                .withName("data").withNamespace("shop").endMetadata().build()).create();
        admin.genericKubernetesResources("velero.io/v1", "Schedule").inNamespace("velero").resource(
                new io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder().withApiVersion("velero.io/v1")
                        .withKind("Schedule").withNewMetadata().withName("daily").withNamespace("velero").endMetadata()
                        .addToAdditionalProperties("spec", Map.of("schedule", "0 2 * * *", "template",
                                Map.of("includedNamespaces", List.of("shop"))))
                        .build()).create();
        dispatcher.refuse("/apis/velero.io/v1/schedules", 403);
        try (Replica only = new Replica("only", fixed(StandardRules.DEFAULT.parser().packagedDefault(), "d"))) {
            await().atMost(Duration.ofSeconds(15)).until(() -> !only.failures.isEmpty());
            assertThat(only.failures.get(0).getMessage()).contains("have not listed Schedule (velero.io)",
                    "scan skipped");
            assertThat(only.results).isEmpty();

            dispatcher.allow("/apis/velero.io/v1/schedules");
            await().atMost(Duration.ofSeconds(30)).until(() -> !only.results.isEmpty());
            ScanReport first = only.results.get(0);
            assertThat(first.findings()).noneSatisfy(f -> assertThat(f.message()).contains("Velero"));
            assertThat(first.measures()).anySatisfy(m -> {
                assertThat(m.namespace()).isEqualTo("shop");
                assertThat(m.labels()).containsEntry("schedule", "daily");
            });
        }
    }

    /** API discovery that fails is not taken for "Velero is not installed": the scan waits and says why. */
    @Test
    void velero_discovery_that_fails_stops_the_scan_and_names_the_failure() {
        CrdAwareDispatcher.install(admin, "velero/velero.io_schedules", "velero/velero.io_backups",
                "velero/velero.io_restores", "velero/velero.io_backupstoragelocations");
        dispatcher.refuse("/apis/velero.io/v1", 403); // the client retries a 5xx for a while first
        try (Replica only = new Replica("only", fixed(StandardRules.DEFAULT.parser().packagedDefault(), "d"))) {
            await().atMost(Duration.ofSeconds(15)).until(() -> !only.failures.isEmpty());
            assertThat(only.failures.get(0).getMessage()).contains("have not listed Schedule (velero.io: API "
                    + "discovery failed: HTTP 403 refused by the test)", "scan skipped");
            assertThat(only.results).isEmpty();
        }
    }

    /** Default budgets read workloads and budgets only: a scan skipped for Velero's kinds does not hold them up. */
    @Test
    void default_budgets_are_written_while_the_scan_waits_for_velero() {
        CrdAwareDispatcher.install(admin, "velero/velero.io_schedules", "velero/velero.io_backups",
                "velero/velero.io_restores", "velero/velero.io_backupstoragelocations");
        dispatcher.refuse("/apis/velero.io/v1/schedules", 403);
        admin.resource(PolicyReportsTest.deployment("shop", "web", 3)).create();
        Policy asked = StandardRules.DEFAULT.parser().parse(dev.haguard.rules.disruptionbudgets.DefaultBudgetsTest.ASKED,
                "test policy");
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        try (KubernetesClient client = server.createClient()) {
            ScanLeader leader = new ScanLeader(client, "ha-guard", "only", fixed(asked, "asked"), StandardRules.DEFAULT,
                    Duration.ofHours(1), new ScanLeader.Limits(5000, 0.8), FAST, new PolicyReports(client,
                    PolicyReports.Api.POLICYREPORT), (r, took) -> { }, failures::add)
                    .writingBudgets(new DefaultBudgetsWriter(client, (outcome, n) -> { }));
            leader.start();
            try {
                await().atMost(Duration.ofSeconds(15)).until(() -> admin.policy().v1().podDisruptionBudget()
                        .inNamespace("shop").withName("ha-guard-deployment-web").get() != null);
                assertThat(failures).as("the scan itself still waits").isNotEmpty().allSatisfy(f -> assertThat(
                        f.getMessage()).contains("Schedule (velero.io)"));
            } finally {
                leader.close();
            }
        }
    }

    @Test
    void a_policy_change_is_scanned_soon_without_waiting_for_the_interval() {
        Policy strict = StandardRules.DEFAULT.parser().packagedDefault();
        Policy relaxed = dev.haguard.Policies.of("defaults: {minReplicas: {mode: 'off'}}");
        AtomicReference<ScanLeader.Policies> current = new AtomicReference<>(fixed(strict, "strict"));
        ScanLeader.Policies changing = new ScanLeader.Policies() {
            @Override
            public Policy policy() {
                return current.get().policy();
            }

            @Override
            public String digest() {
                return current.get().digest();
            }
        };
        try (Replica only = new Replica("only", changing)) {
            await().atMost(Duration.ofSeconds(15)).until(() -> !only.results.isEmpty());
            current.set(fixed(relaxed, "relaxed"));
            await().atMost(Duration.ofSeconds(10)).until(() -> only.results.size() >= 2);
            assertThat(only.results.get(only.results.size() - 1).findings())
                    .noneSatisfy(f -> assertThat(f.rule()).isEqualTo("minReplicas"));
        }
    }
}

package dev.haguard.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haguard.scan.Scan;
import dev.haguard.scan.ScanReport;
import dev.haguard.cluster.CrdAwareDispatcher;
import dev.haguard.json.Json;
import dev.haguard.rules.StandardRules;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The scan's findings as wgpolicyk8s.io/v1alpha2 reports, against the mock API server with the report CRDs. */
class PolicyReportsTest {

    private KubernetesMockServer server;
    private KubernetesClient kube;

    @BeforeEach
    void start() {
        server = CrdAwareDispatcher.server();
        kube = server.createClient();
    }

    @AfterEach
    void stop() {
        kube.close();
        server.destroy();
    }

    static void installReportCrds(KubernetesClient kube) {
        CrdAwareDispatcher.install(kube, "reports/wgpolicyk8s.io_policyreports", "reports/wgpolicyk8s.io_clusterpolicyreports");
    }

    static Deployment deployment(String ns, String name, int replicas) {
        return new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(ns).withUid(ns + "-" + name)
                .endMetadata().withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", name)
                .endSelector().withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata().withNewSpec()
                .addNewContainer().withName(name).withImage("registry.example/" + name + ":1.0.0").endContainer()
                .endSpec().endTemplate().endSpec().build();
    }

    private static ScanReport scan(HasMetadata... objects) {
        List<HasMetadata> all = new ArrayList<>(List.of(objects));
        all.add(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata().build());
        return Scan.of(all, StandardRules.DEFAULT, StandardRules.DEFAULT.parser().packagedDefault(), Instant.now(), false);
    }

    private GenericKubernetesResource report(String ns) {
        return kube.genericKubernetesResources("wgpolicyk8s.io/v1alpha2", "PolicyReport").inNamespace(ns)
                .withName("ha-guard").get();
    }

    @Test
    void reports_appear_are_replaced_only_when_changed_shrink_when_fixed_and_go_with_their_namespace() throws Exception {
        installReportCrds(kube);
        PolicyReports reports = new PolicyReports(kube, PolicyReports.Api.POLICYREPORT);

        reports.write(scan(deployment("shop", "api", 1), deployment("web", "front", 3)));

        var shop = Json.tree(report("shop"));
        assertThat(shop.path("metadata").path("labels").path("app.kubernetes.io/managed-by").asText()).isEqualTo("ha-guard");
        assertThat(shop.path("results")).anySatisfy(r -> {
            assertThat(r.path("policy").asText()).isEqualTo("minReplicas");
            assertThat(r.path("result").asText()).isEqualTo("fail");
            assertThat(r.path("severity").asText()).isEqualTo("high");
            assertThat(r.path("source").asText()).isEqualTo("ha-guard");
            assertThat(r.path("message").asText()).contains("spec.replicas is 1");
            assertThat(r.path("resources").get(0).path("kind").asText()).isEqualTo("Deployment");
            assertThat(r.path("resources").get(0).path("name").asText()).isEqualTo("api");
            assertThat(r.path("resources").get(0).path("uid").asText()).isEqualTo("shop-api");
        });
        assertThat(shop.path("summary").path("fail").asInt()).isPositive();
        assertThat(report("web")).isNotNull();
        assertThat(kube.genericKubernetesResources("wgpolicyk8s.io/v1alpha2", "ClusterPolicyReport").withName("ha-guard")
                .get()).as("the cluster report").isNotNull();
        String version = report("shop").getMetadata().getResourceVersion();

        reports.write(scan(deployment("shop", "api", 1), deployment("web", "front", 3)));
        assertThat(report("shop").getMetadata().getResourceVersion()).as("unchanged: not written").isEqualTo(version);

        reports.write(scan(deployment("shop", "api", 3), deployment("web", "front", 3)));
        assertThat(Json.tree(report("shop")).path("results")).noneSatisfy(r -> assertThat(r.path("policy").asText())
                .isEqualTo("minReplicas"));

        reports.write(scan(deployment("shop", "api", 3)));
        assertThat(report("web")).as("web has no objects any more").isNull();
        assertThat(report("shop")).isNotNull();
    }

    @Test
    void the_cap_holds_on_a_namespace_with_5000_findings() throws Exception {
        installReportCrds(kube);
        List<HasMetadata> many = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            many.add(deployment("big", "app-" + i, 1));
        }
        ScanReport result = scan(many.toArray(HasMetadata[]::new));
        long findings = result.findings().stream().filter(f -> f.namespace().equals("big")).count();

        new PolicyReports(kube, PolicyReports.Api.POLICYREPORT).write(result);

        var big = Json.tree(report("big"));
        assertThat(big.path("results").size()).isEqualTo(PolicyReports.MAX_RESULTS);
        assertThat(big.path("metadata").path("annotations").path(PolicyReports.OMITTED).asLong())
                .isEqualTo(findings - PolicyReports.MAX_RESULTS);
        assertThat(big.path("summary").path("fail").asLong() + big.path("summary").path("warn").asLong())
                .as("the summary counts every finding").isEqualTo(findings);
        int bytes = Json.MAPPER.writeValueAsBytes(big).length;
        System.out.printf("report of %d findings, %d kept: %d bytes%n", findings, PolicyReports.MAX_RESULTS, bytes);
        assertThat(bytes).isLessThan(1024 * 1024 / 2);
    }

    @Test
    void without_the_crd_nothing_is_written_and_reports_appear_once_it_is_installed() throws Exception {
        PolicyReports reports = new PolicyReports(kube, PolicyReports.Api.POLICYREPORT);

        reports.write(scan(deployment("shop", "api", 1)));
        installReportCrds(kube);
        assertThat(report("shop")).isNull();

        reports.write(scan(deployment("shop", "api", 1)));
        assertThat(report("shop")).isNotNull();
    }

    @Test
    void openreports_is_the_same_shape_under_its_own_api() throws Exception {
        CrdAwareDispatcher.install(kube, "reports/openreports.io_reports", "reports/openreports.io_clusterreports");
        new PolicyReports(kube, PolicyReports.Api.OPENREPORTS).write(scan(deployment("shop", "api", 1)));

        var report = Json.tree(kube.genericKubernetesResources("openreports.io/v1alpha1", "Report").inNamespace("shop")
                .withName("ha-guard").get());
        assertThat(report.path("source").asText()).isEqualTo("ha-guard");
        assertThat(report.path("results")).anySatisfy(r -> assertThat(r.path("policy").asText()).isEqualTo("minReplicas"));
    }
}

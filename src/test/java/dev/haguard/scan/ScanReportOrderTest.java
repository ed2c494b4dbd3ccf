package dev.haguard.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haguard.rules.StandardRules;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A report lists namespaces in the same order every run, so that two reports diff line by line. */
class ScanReportOrderTest {

    @Test
    void namespaces_come_sorted_whatever_the_order_they_were_read_in() {
        List<HasMetadata> objects = new ArrayList<>();
        for (String ns : List.of("payments", "checkout", "search", "accounts", "mail", "zeta", "beta", "ads")) {
            objects.add(new DeploymentBuilder().withNewMetadata().withName("api").withNamespace(ns).endMetadata()
                    .withNewSpec().withReplicas(1).endSpec().build());
        }

        ScanReport report = Scan.of(objects, StandardRules.DEFAULT, StandardRules.DEFAULT.parser().packagedDefault(),
                Instant.EPOCH, false);

        assertThat(report.objects().keySet()).containsExactly("accounts", "ads", "beta", "checkout", "mail",
                "payments", "search", "zeta");
        assertThat(report.clean().keySet()).containsExactly("accounts", "ads", "beta", "checkout", "mail",
                "payments", "search", "zeta");
        assertThat(report.scores().keySet()).first().isEqualTo("accounts");
    }
}

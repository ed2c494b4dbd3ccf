package dev.haguard.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.haguard.engine.Decision;
import dev.haguard.engine.Outcome;
import dev.haguard.engine.RuleDecision;
import dev.haguard.engine.Webhook;
import dev.haguard.policy.Mode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdmissionMetricsTest {

    @Test
    void counts_each_topology_key_injected_with_schedule_anyway_because_nodes_lack_it() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RuleDecision relaxed = new RuleDecision("topologySpread", Mode.ENFORCE, Outcome.MUTATE, "spread pods ...", true,
                Map.of(dev.haguard.engine.Finding.RELAXED, "topology.kubernetes.io/zone"));
        Decision decision = new Decision(true, "", List.of(), JsonNodeFactory.instance.arrayNode(), List.of(relaxed),
                "defaults", false);

        new AdmissionMetrics(registry).record(Webhook.MUTATE, "Pod", "CREATE", decision, 1_000);
        new AdmissionMetrics(registry).record(Webhook.MUTATE, "Pod", "CREATE", decision, 1_000);

        assertThat(registry.counter("haguard_spread_relaxed", "topologyKey", "topology.kubernetes.io/zone").count())
                .isEqualTo(2.0);
    }
}

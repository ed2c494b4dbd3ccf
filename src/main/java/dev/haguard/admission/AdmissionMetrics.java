package dev.haguard.admission;

import dev.haguard.engine.Decision;
import dev.haguard.engine.Outcome;
import dev.haguard.engine.RuleDecision;
import dev.haguard.engine.Webhook;
import dev.haguard.engine.Finding;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Prometheus counters and timings of admissions (served on the management port at /q/metrics). */
@ApplicationScoped
public class AdmissionMetrics {

    private final MeterRegistry registry;
    private final Map<Webhook, Timer> durations = new EnumMap<>(Webhook.class);

    AdmissionMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (Webhook webhook : Webhook.values()) {
            durations.put(webhook, Timer.builder("haguard_admission_duration").tag("webhook", webhook.path())
                    .publishPercentileHistogram().register(registry));
        }
    }

    void shed() {
        registry.counter("haguard_admissions_shed").increment();
    }

    void record(Webhook webhook, String kind, String operation, Decision decision, long nanos) {
        registry.counter("haguard_admissions", "webhook", webhook.path(), "kind", kind,
                "operation", operation, "decision", decision.result()).increment();
        for (RuleDecision rule : decision.rules()) {
            if (rule.outcome() != Outcome.SKIP) {
                registry.counter("haguard_rule_outcomes", "rule", rule.rule(), "outcome", rule.outcome().label())
                        .increment();
            }
            String relaxed = rule.facts().get(Finding.RELAXED);
            if (relaxed != null) {
                for (String key : relaxed.split(",")) {
                    registry.counter("haguard_spread_relaxed", "topologyKey", key).increment();
                }
            }
        }
        durations.get(webhook).record(nanos, TimeUnit.NANOSECONDS);
    }
}

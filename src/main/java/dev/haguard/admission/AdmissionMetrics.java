package dev.haguard.admission;

import dev.haguard.audit.AuditRecords;
import dev.haguard.engine.Decision;
import dev.haguard.engine.Outcome;
import dev.haguard.engine.RuleDecision;
import dev.haguard.engine.Webhook;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;

/** Prometheus counters and timings of admissions (served on the management port at /q/metrics). */
@ApplicationScoped
public class AdmissionMetrics {

    private final MeterRegistry registry;

    AdmissionMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void shed() {
        registry.counter("haguard_admissions_shed").increment();
    }

    void record(Webhook webhook, String kind, Object operation, Decision decision, long nanos) {
        registry.counter("haguard_admissions", "webhook", webhook.path(), "kind", kind,
                "operation", operation.toString(), "decision", AuditRecords.verdict(decision)).increment();
        for (RuleDecision rule : decision.rules()) {
            if (rule.outcome() != Outcome.SKIP) {
                registry.counter("haguard_rule_outcomes", "rule", rule.rule(), "outcome", rule.outcome().label())
                        .increment();
            }
        }
        Timer.builder("haguard_admission_duration").tag("webhook", webhook.path())
                .publishPercentileHistogram().register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }
}

package dev.haguard.server;

import dev.haguard.engine.AdmissionEngine;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until the {@link WarmUp} has run, on the engine and the policy that serve. */
@Readiness
@ApplicationScoped
public class WarmUpReadiness implements HealthCheck {

    private final AdmissionEngine engine;
    private final PolicyHolder holder;

    WarmUpReadiness(AdmissionEngine engine, PolicyHolder holder) {
        this.engine = engine;
        this.holder = holder;
    }

    void onStart(@Observes StartupEvent event) {
        WarmUp.start(engine, holder.current().policy());
    }

    @Override
    public HealthCheckResponse call() {
        String outcome = WarmUp.outcome();
        return HealthCheckResponse.named("warm-up").status(outcome != null)
                .withData("outcome", outcome == null ? "running" : outcome).build();
    }
}

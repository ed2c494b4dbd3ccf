package dev.haguard.admission;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until the {@link WarmUp} has run (it was started by {@code Main}, or is started here). */
@Readiness
@ApplicationScoped
public class WarmUpReadiness implements HealthCheck {

    void onStart(@Observes StartupEvent event) {
        WarmUp.start();
    }

    @Override
    public HealthCheckResponse call() {
        String outcome = WarmUp.outcome();
        return HealthCheckResponse.named("warm-up").status(outcome != null)
                .withData("outcome", outcome == null ? "running" : outcome).build();
    }
}

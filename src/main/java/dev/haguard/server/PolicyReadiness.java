package dev.haguard.server;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until a policy is in force: an admission must never be judged against nothing. */
@Readiness
@ApplicationScoped
public class PolicyReadiness implements HealthCheck {

    private final ClusterConnection connection;
    private final PolicyHolder holder;

    PolicyReadiness(ClusterConnection connection, PolicyHolder holder) {
        this.connection = connection;
        this.holder = holder;
    }

    @Override
    public HealthCheckResponse call() {
        boolean ready = connection.ready();
        return HealthCheckResponse.named("policy")
                .status(ready)
                .withData("source", ready ? holder.current().source() : "none yet")
                .build();
    }
}

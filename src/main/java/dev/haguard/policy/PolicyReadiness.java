package dev.haguard.policy;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until a policy is in force: an admission must never be judged against nothing. */
@Readiness
@ApplicationScoped
public class PolicyReadiness implements HealthCheck {

    private final PolicyHolder policies;

    PolicyReadiness(PolicyHolder policies) {
        this.policies = policies;
    }

    @Override
    public HealthCheckResponse call() {
        PolicyHolder.Loaded loaded = policies.current();
        return HealthCheckResponse.named("policy")
                .status(loaded != null)
                .withData("source", loaded == null ? "none yet" : loaded.source())
                .build();
    }
}

package dev.haguard.policy;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until a policy is in force: an admission must never be judged against nothing. */
@Readiness
@ApplicationScoped
public class PolicyReadiness implements HealthCheck {

    private final PolicyService policies;

    PolicyReadiness(PolicyService policies) {
        this.policies = policies;
    }

    @Override
    public HealthCheckResponse call() {
        boolean ready = policies.ready();
        return HealthCheckResponse.named("policy")
                .status(ready)
                .withData("source", ready ? policies.holder().current().source() : "none yet")
                .build();
    }
}

package dev.haguard.rules.disruptionbudgets;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Allowed evictions at full health, as the disruption controller rounds percentages: up, for both fields. */
class BudgetsTest {

    private static PodDisruptionBudget pdb(String field, String value) {
        IntOrString v = value.endsWith("%") ? new IntOrString(value) : new IntOrString(Integer.parseInt(value));
        var b = new PodDisruptionBudgetBuilder().withNewMetadata().withName("b").endMetadata().withNewSpec();
        return (field.equals("maxUnavailable") ? b.withMaxUnavailable(v) : b.withMinAvailable(v)).endSpec().build();
    }

    @ParameterizedTest
    @CsvSource({
            "maxUnavailable, 0, 3, 0",
            "maxUnavailable, 0%, 3, 0",
            "maxUnavailable, 1, 3, 1",
            "maxUnavailable, 10%, 3, 1",   // ceil(0.3) = 1: the percentage rounds up, so a drain proceeds
            "maxUnavailable, 50%, 3, 2",   // ceil(1.5) = 2
            "minAvailable, 2, 2, 0",
            "minAvailable, 3, 2, 0",
            "minAvailable, 1, 2, 1",
            "minAvailable, 100%, 5, 0",
            "minAvailable, 50%, 7, 3",     // ceil(3.5) = 4 must stay: 3 may go (the docs' own example)
            "minAvailable, 90%, 2, 0",     // ceil(1.8) = 2 of 2: blocks at 2 replicas
            "minAvailable, 90%, 20, 2"})
    void allowed_evictions_at_full_health(String field, String value, int replicas, int allowed) {
        assertThat(Budgets.allowed(pdb(field, value), replicas)).isEqualTo(allowed);
    }
}

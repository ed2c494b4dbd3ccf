package dev.haguard.admission;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BodyBudgetTest {

    @Test
    void bodies_are_held_up_to_the_budget_and_given_back() {
        BodyBudget budget = new BodyBudget(1000);

        assertThat(budget.take(600)).isTrue();
        assertThat(budget.take(400)).isTrue();
        assertThat(budget.take(1)).as("one byte over").isFalse();
        assertThat(budget.held()).isEqualTo(1000);

        budget.give(600);
        assertThat(budget.take(500)).isTrue();
        assertThat(budget.held()).isEqualTo(900);
    }

    @Test
    void a_body_larger_than_the_budget_is_taken_when_nothing_else_is_held() {
        BodyBudget budget = new BodyBudget(1000);

        assertThat(budget.take(5000)).isTrue();
        assertThat(budget.take(1)).isFalse();
        budget.give(5000);
        assertThat(budget.held()).isZero();
    }
}

package dev.haguard.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haguard.TestRules;
import dev.haguard.engine.AdmissionEngine;
import dev.haguard.engine.Finding;
import dev.haguard.engine.Rule;
import dev.haguard.policy.SimpleRuleConfig;
import dev.haguard.rules.StandardRules;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The warm-up runs the engine that will serve, not one of its own. */
class WarmUpTest {

    @Test
    void warms_up_the_engine_it_is_given() {
        AtomicInteger judged = new AtomicInteger();
        Rule<SimpleRuleConfig> counting = TestRules.everyWrite("counting", context -> {
            judged.incrementAndGet();
            return Finding.pass();
        });

        String outcome = WarmUp.run(new AdmissionEngine(List.of(counting)),
                StandardRules.DEFAULT.parser().packagedDefault());

        assertThat(outcome).contains("reviews in");
        assertThat(judged).as("both webhooks, both reviews, every round").hasValue(20);
    }
}

package dev.haguard.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.haguard.policy.PolicyException;
import dev.haguard.rules.StandardRules;

/**
 * Any text at all as a policy: a policy, or a PolicyException naming its source and what is wrong. A class of its
 * own because Jazzer fuzzes one target per JVM: the build gives it a surefire execution of its own.
 */
class PolicyFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void any_policy_text_parses_or_is_refused_with_a_reason(String yaml) {
        try {
            assertThat(StandardRules.DEFAULT.parser().parse(yaml, "fuzz").defaults()).isNotNull();
        } catch (PolicyException e) {
            assertThat(e.getMessage()).startsWith("fuzz");
        }
    }
}

package dev.haguard.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.haguard.codec.BadReviewException;
import dev.haguard.codec.ReviewCodec;
import dev.haguard.engine.Admission;
import dev.haguard.engine.AdmissionEngine;
import dev.haguard.engine.Decision;
import dev.haguard.engine.Outcome;
import dev.haguard.engine.Webhook;
import dev.haguard.policy.Policy;
import dev.haguard.rules.StandardRules;

/**
 * Any bytes at all: a clear refusal (the 400 path) or a decision from both webhooks, with no rule failing and no
 * exception escaping.
 */
class AdmissionFuzzTest {

    private static final AdmissionEngine ENGINE = StandardRules.DEFAULT.engine();
    private static final Policy POLICY = StandardRules.DEFAULT.parser().packagedDefault();

    @FuzzTest(maxDuration = "15s")
    void any_body_gets_a_refusal_or_a_decision(byte[] body) {
        Admission admission;
        try {
            admission = ReviewCodec.read(body);
        } catch (BadReviewException e) {
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        for (Webhook webhook : Webhook.values()) {
            Decision decision = ENGINE.decide(admission, POLICY, webhook);
            assertThat(decision.rules()).noneMatch(r -> r.outcome() == Outcome.ERROR);
            assertThat(ReviewCodec.response(admission.uid(), decision).getResponse().getUid()).isEqualTo(admission.uid());
        }
    }
}

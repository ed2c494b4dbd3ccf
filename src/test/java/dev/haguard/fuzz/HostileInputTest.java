package dev.haguard.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haguard.Fixtures;
import dev.haguard.Policies;
import dev.haguard.codec.BadReviewException;
import dev.haguard.codec.ReviewCodec;
import dev.haguard.engine.Admission;
import dev.haguard.engine.Decision;
import dev.haguard.engine.Outcome;
import dev.haguard.engine.Webhook;
import dev.haguard.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The inputs an attacker or a broken client would send: each gets a 400 reason or a decision, never a crash. */
class HostileInputTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] withObject(String field, String json) throws Exception {
        ObjectNode review = Fixtures.review("deployment-create.validating.json");
        ((ObjectNode) review.at("/request/object")).set(field, Json.MAPPER.readTree(json));
        return Json.MAPPER.writeValueAsBytes(review);
    }

    static Stream<Arguments> hostile() throws Exception {
        String review = new String(Fixtures.bytes("deployment-create.validating.json"), StandardCharsets.UTF_8);
        ObjectNode big = Fixtures.review("configmap-update.validating.json");
        String blob = "x".repeat(1_500_000);
        ((ObjectNode) big.at("/request/object/data")).put("blob", blob);
        ((ObjectNode) big.at("/request/oldObject/data")).put("blob", blob);
        return Stream.of(
                Arguments.of("nesting 100,000 deep", utf8("[".repeat(100_000) + "]".repeat(100_000))),
                Arguments.of("nested objects in the object", withObject("spec", "{\"a\":".repeat(900) + "1" + "}".repeat(900))),
                Arguments.of("a million-element array", utf8("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\","
                        + "\"request\":{\"uid\":\"u\",\"x\":[" + "1,".repeat(1_000_000) + "1]}}")),
                Arguments.of("a 5 MB string", utf8("{\"apiVersion\":\"" + "a".repeat(5_000_000) + "\"}")),
                Arguments.of("duplicate keys", utf8(review.replaceFirst("\"uid\":", "\"uid\": \"a\", \"uid\":"))),
                Arguments.of("invalid UTF-8", new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'}),
                Arguments.of("a lone surrogate escape", utf8(review.replace("\"web\"", "\"\\uD800\""))),
                Arguments.of("replicas as a string", withObject("spec", "{\"replicas\":\"3\"}")),
                Arguments.of("containers as an object", withObject("spec",
                        "{\"template\":{\"spec\":{\"containers\":{\"name\":\"x\"}}}}")),
                Arguments.of("labels as a list", withObject("metadata", "{\"name\":\"web\",\"labels\":[\"a\"]}")),
                Arguments.of("metadata as a number", withObject("metadata", "7")),
                Arguments.of("a huge number", utf8(review.replace("\"replicas\": 3", "\"replicas\": 1" + "0".repeat(5000)))),
                Arguments.of("objects at Kubernetes' 1.5 MiB limit", Json.MAPPER.writeValueAsBytes(big)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    void answers_a_reason_or_a_decision_never_a_crash(String what, byte[] body) {
        Throwable thrown = catchThrowable(() -> {
            Admission admission = ReviewCodec.read(body);
            for (Webhook webhook : Webhook.values()) {
                Decision decision = Policies.run(admission, Policies.DEFAULT, webhook);
                assertThat(decision.rules()).noneMatch(r -> r.outcome() == Outcome.ERROR);
            }
        });
        assertThat(thrown).as(what).satisfiesAnyOf(t -> assertThat(t).isNull(),
                t -> assertThat(t).isInstanceOf(BadReviewException.class).hasMessageNotContaining("Exception"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    void nothing_hostile_reaches_a_rule_as_a_typed_field_of_the_wrong_type(String what, byte[] body) {
        try {
            Admission admission = ReviewCodec.read(body);
            Map<?, ?> labels = admission.object().getMetadata().getLabels();
            if (labels != null) {
                for (Iterator<?> it = labels.values().iterator(); it.hasNext(); ) {
                    assertThat(it.next()).isInstanceOf(String.class);
                }
            }
        } catch (BadReviewException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }
}

package dev.haguard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haguard.Policies;
import dev.haguard.codec.ReviewCodec;
import dev.haguard.engine.Decision;
import dev.haguard.engine.Webhook;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The benchmark's payloads do what its table calls them, so that the figures measure the right paths. */
class BenchPayloadsTest {

    private static Decision answer(String payload, Webhook webhook) throws Exception {
        return Policies.run(ReviewCodec.read(Files.readAllBytes(Path.of("bench/payloads", payload))), Policies.DEFAULT,
                webhook);
    }

    @Test
    void each_payload_takes_the_path_it_is_named_for() throws Exception {
        assertThat(answer("pod-spread.mutate.json", Webhook.MUTATE).patchedPaths())
                .containsExactly("/spec/topologySpreadConstraints");
        assertThat(answer("pod-compliant.mutate.json", Webhook.MUTATE).patch()).isEmpty();
        assertThat(answer("pod-compliant.mutate.json", Webhook.MUTATE).allowed()).isTrue();
        assertThat(answer("deployment-denied.validate.json", Webhook.VALIDATE).message()).contains("spec.replicas is 1");
        Decision immutable = answer("configmap-immutable.validate.json", Webhook.VALIDATE);
        assertThat(immutable.allowed()).isFalse();
        assertThat(immutable.message()).contains("marked immutable");
    }
}

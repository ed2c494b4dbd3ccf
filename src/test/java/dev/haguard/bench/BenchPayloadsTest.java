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

    /** A rule's warm-up review, which the benchmark sends as it is (bench/run.sh names the files). */
    static Path payload(String name) {
        return Path.of("src/main/resources/dev/haguard/rules", switch (name) {
            case "pod-spread.mutate.json", "pod-compliant.mutate.json" -> "topologyspread";
            case "deployment-denied.validate.json" -> "minreplicas";
            case "configmap-immutable.validate.json" -> "immutableobjects";
            default -> throw new IllegalArgumentException(name);
        }, name);
    }

    private static Decision answer(String payload, Webhook webhook) throws Exception {
        return Policies.run(ReviewCodec.read(Files.readAllBytes(payload(payload))), Policies.DEFAULT, webhook);
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

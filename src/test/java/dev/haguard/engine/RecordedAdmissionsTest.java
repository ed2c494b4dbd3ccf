package dev.haguard.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.haguard.Fixtures;
import dev.haguard.policy.Policy;
import dev.haguard.rules.StandardRules;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every request recorded from a real kube-apiserver gets the answer expected.yaml gives for the packaged
 * default policy, and answering the patched object again changes nothing.
 */
class RecordedAdmissionsTest {

    private static final AdmissionEngine ENGINE = StandardRules.DEFAULT.engine();
    private static final Policy DEFAULT = StandardRules.DEFAULT.parser().packagedDefault();

    static Stream<String> recorded() throws IOException {
        List<String> names = new ArrayList<>();
        expected().fieldNames().forEachRemaining(names::add);
        return names.stream();
    }

    private static JsonNode expected() throws IOException {
        try (InputStream in = RecordedAdmissionsTest.class.getResourceAsStream("/admission/expected.yaml")) {
            return new YAMLMapper().readTree(in);
        }
    }

    @ParameterizedTest
    @MethodSource("recorded")
    void answers_recorded_request_as_expected(String file) throws IOException {
        JsonNode expected = expected().get(file);
        JsonNode review = Fixtures.review(file);
        Decision decision = ENGINE.decide(Fixtures.admission(file), DEFAULT, Fixtures.webhook(file));

        assertThat(decision.allowed()).as("allowed for %s: %s", file, decision.message())
                .isEqualTo(expected.get("allowed").asBoolean());
        for (JsonNode word : expected.path("mentions")) {
            assertThat(decision.message()).containsIgnoringCase(word.asText());
        }
        JsonNode stored = Fixtures.patched(review, decision.patch());
        if (expected.has("spread")) {
            List<String> keys = stored.path("spec").path("topologySpreadConstraints").findValuesAsText("topologyKey");
            List<String> want = new ArrayList<>();
            expected.get("spread").forEach(k -> want.add(k.asText()));
            assertThat(keys).containsExactlyInAnyOrderElementsOf(want);
        }
        if (expected.has("keeps")) {
            JsonNode keep = expected.get("keeps");
            assertThat(stored.path("spec").path("topologySpreadConstraints"))
                    .anySatisfy(c -> {
                        assertThat(c.path("topologyKey").asText()).isEqualTo(keep.get("topologyKey").asText());
                        assertThat(c.path("maxSkew").asInt()).isEqualTo(keep.get("maxSkew").asInt());
                    });
        }
        expected.path("sets").fields().forEachRemaining(e -> assertThat(stored.get(e.getKey())).isEqualTo(e.getValue()));
    }

    @ParameterizedTest
    @MethodSource("recorded")
    void answering_the_patched_object_again_gives_an_empty_patch(String file) {
        JsonNode review = Fixtures.review(file);
        Decision first = ENGINE.decide(Fixtures.admission(file), DEFAULT, Fixtures.webhook(file));
        JsonNode again = Fixtures.withObject(review, Fixtures.patched(review, first.patch()));

        Decision second = ENGINE.decide(Fixtures.admission(again), DEFAULT, Fixtures.webhook(file));

        assertThat(second.patch()).as("second patch for %s", file).isEmpty();
        assertThat(second.allowed()).isEqualTo(first.allowed());
    }

    @Test
    void every_recorded_request_has_an_expectation() throws IOException, URISyntaxException {
        Path dir = Path.of(RecordedAdmissionsTest.class.getResource("/admission").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            List<String> recorded = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).toList();
            assertThat(recorded).hasSizeGreaterThanOrEqualTo(20).containsExactlyInAnyOrderElementsOf(recorded().toList());
        }
    }
}

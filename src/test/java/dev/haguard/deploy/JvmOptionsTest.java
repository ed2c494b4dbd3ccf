package dev.haguard.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmark measures the JVM flags the Deployment and the image run with, not a guess at them. */
class JvmOptionsTest {

    @Test
    void bench_runs_with_the_collector_heap_and_jit_flags_of_the_deployment_and_the_image() throws Exception {
        List<String> bench = Files.readAllLines(Path.of("bench/jvm.options")).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
        String gc = env("GC_CONTAINER_OPTIONS");
        String append = env("JAVA_OPTS_APPEND");

        String image = Files.readString(Path.of("src/main/docker/Dockerfile.jvm"));

        assertThat(gc).isEqualTo("-XX:+UseSerialGC");
        assertThat(image).contains("ENV GC_CONTAINER_OPTIONS=\"" + gc + "\"");
        assertThat(append).as("the JIT stops at C1 (bench/cold.sh)").contains("-XX:TieredStopAtLevel=1");
        assertThat(image).as("the image runs with the JIT flag too").contains("ENV JAVA_OPTS_APPEND=\"-XX:TieredStopAtLevel=1\"");
        assertThat(bench).as("the collector").contains(gc);
        List<String> heap = Arrays.stream(append.split(" ")).filter(flag -> flag.startsWith("-XX:")).toList();
        assertThat(heap).isNotEmpty();
        assertThat(bench.subList(bench.size() - heap.size(), bench.size()))
                .as("JAVA_OPTS_APPEND comes last, as run-java.sh puts it").isEqualTo(heap);
    }

    private static String env(String name) throws Exception {
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = new YAMLMapper().readerFor(JsonNode.class)
                .readValues(Path.of("deploy/base/generated.yaml").toFile())) {
            it.forEachRemaining(docs::add);
        }
        for (JsonNode doc : docs) {
            if ("Deployment".equals(doc.path("kind").asText())) {
                for (JsonNode var : doc.at("/spec/template/spec/containers/0/env")) {
                    if (name.equals(var.path("name").asText())) {
                        return var.path("value").asText();
                    }
                }
            }
        }
        throw new AssertionError(name + " is not set on the Deployment in deploy/base/generated.yaml");
    }
}

package dev.haguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ha-guard export vap: what kubectl apply reads, and what it leaves to the webhook said out loud. */
class ExportCommandTest {

    private record Run(int exit, String out, String err) {
    }

    private static Run export(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = ExportCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void prints_each_policy_with_its_binding_and_lists_what_it_does_not_express() throws Exception {
        Run run = export("vap", "--policy", "policies/development-relaxed.yaml");

        assertThat(run.exit()).isZero();
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = new YAMLMapper().readerFor(JsonNode.class).readValues(run.out())) {
            it.forEachRemaining(docs::add);
        }
        List<String> policies = docs.stream().filter(d -> d.path("kind").asText().equals("ValidatingAdmissionPolicy"))
                .map(d -> d.path("metadata").path("name").asText()).toList();
        List<String> bound = docs.stream().filter(d -> d.path("kind").asText().equals("ValidatingAdmissionPolicyBinding"))
                .map(d -> d.path("spec").path("policyName").asText()).toList();
        assertThat(policies).isNotEmpty().containsExactlyInAnyOrderElementsOf(bound)
                .contains("ha-guard-imagereferences-pods-defaults", "ha-guard-imagereferences-pods-sandboxes");
        assertThat(docs).filteredOn(d -> !d.path("kind").asText().equals("ConfigMap")).allSatisfy(d -> assertThat(
                d.path("apiVersion").asText()).isEqualTo("admissionregistration.k8s.io/v1"));
        assertThat(docs).filteredOn(d -> d.path("kind").asText().equals("ConfigMap")).singleElement()
                .satisfies(cm -> assertThat(cm.path("metadata").path("namespace").asText()).isEqualTo("ha-guard"));
        assertThat(docs).filteredOn(d -> d.path("spec").has("paramRef")).isNotEmpty().allSatisfy(b -> assertThat(
                b.path("spec").path("paramRef").path("name").asText()).isEqualTo("ha-guard-autoscaled"));
        assertThat(docs).filteredOn(d -> d.path("metadata").path("name").asText()
                .equals("ha-guard-imagereferences-pods-sandboxes") && d.path("kind").asText().endsWith("Binding"))
                .singleElement().satisfies(b -> assertThat(b.path("spec").path("validationActions").get(0).asText())
                        .as("the sandboxes scope audits").isEqualTo("Audit"));
        assertThat(run.out()).contains("# Not expressed here", "minReplicas", "topologySpread");
        assertThat(run.err()).contains("not expressed", "  - topologySpread: a mutation",
                "  - policyDocument: the policy ConfigMap check needs ha-guard's parser");
    }

    @Test
    void deny_only_prints_what_the_leader_keeps_in_the_namespace_given() throws Exception {
        Run run = export("vap", "--deny-only", "--namespace", "guard");

        assertThat(run.exit()).isZero();
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = new YAMLMapper().readerFor(JsonNode.class).readValues(run.out())) {
            it.forEachRemaining(docs::add);
        }
        assertThat(docs).filteredOn(d -> d.path("kind").asText().endsWith("Binding")).isNotEmpty().allSatisfy(b -> {
            assertThat(b.path("spec").path("validationActions").get(0).asText()).isEqualTo("Deny");
            assertThat(b.path("spec").path("matchResources").toString()).contains("\"guard\"", "kube-system");
        });
        assertThat(docs).filteredOn(d -> d.path("kind").asText().equals("ConfigMap")).singleElement()
                .satisfies(cm -> assertThat(cm.path("metadata").path("namespace").asText()).isEqualTo("guard"));
    }

    @Test
    void an_unknown_format_or_a_broken_policy_is_a_usage_error() {
        assertThat(export("gatekeeper").exit()).isEqualTo(CheckCommand.UNUSABLE);
        Run broken = export("vap", "--policy", "no/such/file.yaml");
        assertThat(broken.exit()).isEqualTo(CheckCommand.UNUSABLE);
        assertThat(broken.err()).contains("unusable policy");
    }
}

package dev.haguard.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.haguard.rules.StandardRules;
import dev.haguard.rules.imagereferences.ImageReferencesRule;
import dev.haguard.rules.immutableobjects.ImmutableObjectsRule;
import dev.haguard.rules.immutablepods.ImmutablePodsRule;
import dev.haguard.rules.minreplicas.MinReplicasRule;
import dev.haguard.rules.topologyspread.TopologySpreadRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class PolicyParserTest {

    static Stream<Path> shippedPolicies() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("policies"))) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("shippedPolicies")
    void every_policy_in_the_policies_folder_is_valid(Path file) {
        assertThat(StandardRules.DEFAULT.parser().parse(file).defaults()).isNotNull();
    }

    @Test
    void the_packaged_default_is_the_documented_one() {
        Policy p = StandardRules.DEFAULT.parser().packagedDefault();

        assertThat(p).isEqualTo(StandardRules.DEFAULT.parser().parse(Path.of("policies/default.yaml")));
        RuleSet r = p.defaults();
        assertThat(r.get(TopologySpreadRule.SETTINGS).topologyKeys()).containsExactly("kubernetes.io/hostname", "topology.kubernetes.io/zone");
        assertThat(r.get(TopologySpreadRule.SETTINGS).maxSkew()).isEqualTo(1);
        assertThat(r.get(MinReplicasRule.SETTINGS).minimum()).isEqualTo(2);
        assertThat(List.of(r.get(TopologySpreadRule.SETTINGS).mode(), r.get(MinReplicasRule.SETTINGS).mode(), r.get(ImmutableObjectsRule.SETTINGS).mode(),
                r.get(ImmutablePodsRule.SETTINGS).mode(), r.get(ImageReferencesRule.SETTINGS).mode())).containsOnly(Mode.ENFORCE);
    }

    @Test
    void ha_guards_own_namespace_is_exempt_wherever_it_runs() {
        PolicyParser parser = new StandardRules(new PolicyConfigMap("platform", "ha-policy", "rules.yaml"), "platform")
                .parser();

        Policy listed = parser.parse("version: 1\nexemptions: {namespaces: [kube-system]}\n", "p");
        Policy omitted = parser.parse("version: 1\n", "p");

        assertThat(listed.exemptions().namespaces()).extracting(Glob::toString).containsExactly("kube-system", "platform");
        assertThat(omitted.exemptions().namespaces()).extracting(Glob::toString)
                .containsExactly("kube-system", "kube-public", "kube-node-lease", "platform");
    }

    @Test
    void omitted_keys_take_the_defaults() {
        assertThat(StandardRules.DEFAULT.parser().parse("version: 1", "minimal")).isEqualTo(StandardRules.DEFAULT.parser().packagedDefault());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "version: 1\\ndefaults:\\n  minReplicas:\\n    minimun: 3 | line 4 column 5 | defaults.minReplicas.minimun | unknown key; did you mean \"minimum\"? Known keys here: mode, minimum, action, allowScaleToZero",
            "version: 1\\ndefaults:\\n  topologySpread:\\n    maxSkew: 0 | line 4 column 5 | defaults.topologySpread.maxSkew | at least 1",
            "version: 1\\ndefaults:\\n  minReplicas:\\n    minimum: two | line 4 column 5 | defaults.minReplicas.minimum | expected a whole number",
            "version: 1\\ndefaults:\\n  minReplicas:\\n    mode: block | line 4 column 5 | defaults.minReplicas.mode | enforce",
            "version: 2 | line 1 column 1 | version | must be 1",
            "defaults: {} | line | version | is required",
            "version: 1\\nversion: 1 | line 2 column 1 | | duplicate key \"version\" (first at line 1)",
            "version: 1\\nversion: \"1 | line 2 column 12 | | not valid YAML",
            "version: 1\\ndefaults: [1] | line 2 column 1 | defaults | expected a mapping (RuleSet)",
            "version: 1\\ndefaults:\\n  topologySpread: {whenUnsatisfiable: Sometimes} | line 3 column 20 | whenUnsatisfiable | ScheduleAnyway, DoNotSchedule",
            "version: 1\\nexemptions:\\n  namespaces: [Bad_NS] | line 3 column 16 | exemptions.namespaces[0] | not a namespace glob",
            "version: 1\\noverrides:\\n  - name: x\\n    rules: {} | line 3 column 5 | overrides[0].match | is required",
            "version: 1\\noverrides:\\n  - name: x\\n    match: {} | line 4 column 5 | overrides[0].match | needs at least one",
            "version: 1\\noverrides:\\n  - name: x\\n    match: {namespaces: [a]}\\n    rules: {minReplicas: {minimum: 0}} | line 5 column 27 | overrides[0].rules.minReplicas.minimum | at least 1",
            "version: 1\\noverrides:\\n  - {name: x, match: {namespaces: [a]}}\\n  - {name: x, match: {namespaces: [b]}} | line 2 column 1 | overrides | unique",
            "version: 1\\nonErrror: allow | line 2 column 1 | onErrror | did you mean \"onError\"? Known keys here: version, onError, exemptions, workloadKinds, defaults, overrides",
            "version: 1\\ndefaults:\\n  minReplica: {} | line 3 column 3 | defaults.minReplica | did you mean \"minReplicas\"? Known keys here: topologySpread, minReplicas",
            "version: 1\\ndefaults:\\n\\tminReplicas: {minimum: 3} | line 3 column 1 | | tab character: YAML indents with spaces",
            "version: 1\\ndefaults:\\n  minReplicas:\\n    minimum: 3\\n    minimum: 4 | line 5 column 5 | | duplicate key \"minimum\" (first at line 4)",
            "version: 1\\n---\\nversion: 1 | line 3 | | a second YAML document",
            "version: 1\\nworkloadKinds:\\n  - {apiVersion: apps/v1, kind: Deployment} | line 3 column 6 | workloadKinds[0].apiVersion | names a Kubernetes API group whose kinds the rules already know",
            "version: 1\\nworkloadKinds:\\n  - {kind: Rollout} | line 3 column 5 | workloadKinds[0].apiVersion | is required, as group/version",
            "version: 1\\nworkloadKinds:\\n  - {apiVersion: argoproj.io/v1alpha1, kind: Rollout, replicas: spec..replicas} | line 3 column 55 | workloadKinds[0].replicas | dotted field path"})
    void invalid_policies_name_the_key_and_line(String yaml, String line, String key, String problem) {
        assertThatThrownBy(() -> StandardRules.DEFAULT.parser().parse(yaml.replace("\\n", "\n").replace("\\t", "\t"),
                "policy.yaml"))
                .isInstanceOf(PolicyException.class)
                .hasMessageStartingWith("policy.yaml " + line)
                .hasMessageContaining(key == null ? "" : key)
                .hasMessageContaining(problem == null ? "" : problem);
    }

    @Test
    void errors_never_repeat_the_value_found() {
        assertThatThrownBy(() -> StandardRules.DEFAULT.parser().parse("version: 1\ndefaults: {minReplicas: {minimum: s3cr3t-value}}", "p"))
                .hasMessageNotContaining("s3cr3t-value");
    }

    @Test
    void an_empty_document_is_an_error() {
        assertThatThrownBy(() -> StandardRules.DEFAULT.parser().parse("# nothing but a comment\n", "policy.yaml"))
                .hasMessage("policy.yaml: the policy document is empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {"~", "null", "--- ~", "&audit "})
    void a_null_document_is_an_error(String yaml) {
        assertThatThrownBy(() -> StandardRules.DEFAULT.parser().parse(yaml, "policy.yaml"))
                .isInstanceOf(PolicyException.class)
                .hasMessage("policy.yaml: the policy document is null: expected a mapping that starts with version: 1");
    }

    @Test
    void an_unquoted_off_means_the_mode_off() {
        assertThat(StandardRules.DEFAULT.parser().parse("version: 1\ndefaults: {minReplicas: {mode: off}}", "p").defaults().get(MinReplicasRule.SETTINGS).mode())
                .isEqualTo(Mode.OFF);
    }
}

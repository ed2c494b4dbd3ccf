package dev.haguard.rules.policydocument;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haguard.Admissions;
import dev.haguard.Policies;
import dev.haguard.engine.Decision;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyDocumentRuleTest {

    private static ConfigMap policy(String name, String yaml) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace("ha-guard").endMetadata()
                .withData(Map.of("policy.yaml", yaml)).build();
    }

    @Test
    void denies_applying_an_invalid_policy_with_key_path_and_line() {
        Decision d = Policies.validate(Admissions.create(policy("ha-guard-policies",
                "version: 1\ndefaults:\n  topologySpread:\n    maxSkew: 0\n")));

        assertThat(d.allowed()).isFalse();
        assertThat(d.message()).contains("policyDocument", "line", "defaults.topologySpread.maxSkew", "at least 1");
    }

    @Test
    void admits_a_valid_policy_even_though_its_namespace_is_exempt() {
        Decision valid = Policies.validate(Admissions.create(policy("ha-guard-policies", "version: 1\n")));
        Decision other = Policies.validate(Admissions.create(policy("something-else", "not: [a policy")));

        assertThat(valid.allowed()).isTrue();
        assertThat(other.allowed()).isTrue();
    }

    @Test
    void a_policy_configmap_without_the_entry_is_refused() {
        ConfigMap empty = new ConfigMapBuilder(policy("ha-guard-policies", "")).withData(Map.of("other", "x")).build();

        assertThat(Policies.validate(Admissions.update(empty, empty)).message()).contains("no data entry policy.yaml");
    }
}

package dev.haguard.rules.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SelectorsTest {

    private static final Map<String, String> WEB = Map.of("app", "web", "tier", "front");

    private static LabelSelector expression(String key, String operator, String... values) {
        return new LabelSelectorBuilder().addNewMatchExpression().withKey(key).withOperator(operator).withValues(values)
                .endMatchExpression().build();
    }

    @Test
    void match_labels_must_all_hold() {
        assertThat(Selectors.matches(new LabelSelectorBuilder().addToMatchLabels("app", "web").build(), WEB)).isTrue();
        assertThat(Selectors.matches(new LabelSelectorBuilder().addToMatchLabels("app", "web").addToMatchLabels("tier",
                "back").build(), WEB)).isFalse();
    }

    @Test
    void every_match_expression_operator_has_kubernetes_semantics() {
        assertThat(Selectors.matches(expression("tier", "In", "front", "edge"), WEB)).isTrue();
        assertThat(Selectors.matches(expression("tier", "In", "back"), WEB)).isFalse();
        assertThat(Selectors.matches(expression("tier", "NotIn", "back"), WEB)).isTrue();
        assertThat(Selectors.matches(expression("zone", "NotIn", "a"), WEB)).as("NotIn holds where the label is absent")
                .isTrue();
        assertThat(Selectors.matches(expression("tier", "NotIn", "front"), WEB)).isFalse();
        assertThat(Selectors.matches(expression("app", "Exists"), WEB)).isTrue();
        assertThat(Selectors.matches(expression("zone", "Exists"), WEB)).isFalse();
        assertThat(Selectors.matches(expression("zone", "DoesNotExist"), WEB)).isTrue();
        assertThat(Selectors.matches(expression("app", "DoesNotExist"), WEB)).isFalse();
        assertThat(Selectors.matches(expression("app", "Sometimes", "web"), WEB)).isFalse();
    }

    @Test
    void a_null_selector_selects_nothing_and_an_empty_one_everything() {
        assertThat(Selectors.matches(null, WEB)).isFalse();
        assertThat(Selectors.matches(new LabelSelector(), WEB)).isTrue();
        assertThat(Selectors.matches(new LabelSelector(), Map.of())).isTrue();
    }
}

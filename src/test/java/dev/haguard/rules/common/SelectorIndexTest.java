package dev.haguard.rules.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The indexes answer exactly what trying every selector against every label set answers (Selectors.matches, Kubernetes'
 * semantics), in the order the objects were added, for selectors of every shape: matchLabels, each operator, several
 * requirements, empty, null, and In without values.
 */
class SelectorIndexTest {

    private static final String[] KEYS = {"app", "tier", "team"};
    private static final String[] VALUES = {"a", "b", "c"};
    private static final String[] OPERATORS = {"In", "NotIn", "Exists", "DoesNotExist"};

    private record Named(int id, LabelSelector selector, Map<String, String> labels) {
    }

    private static Map<String, String> labels(Random random) {
        Map<String, String> out = new HashMap<>();
        for (String key : KEYS) {
            if (random.nextInt(3) > 0) {
                out.put(key, VALUES[random.nextInt(VALUES.length)]);
            }
        }
        return out;
    }

    private static LabelSelector selector(Random random) {
        int shape = random.nextInt(10);
        if (shape == 0) {
            return null; // selects nothing
        }
        LabelSelectorBuilder b = new LabelSelectorBuilder();
        if (shape == 1) {
            return b.build(); // selects everything
        }
        if (shape <= 5) {
            for (int i = 0, n = 1 + random.nextInt(2); i < n; i++) {
                b.addToMatchLabels(KEYS[random.nextInt(KEYS.length)], VALUES[random.nextInt(VALUES.length)]);
            }
        }
        for (int i = 0, n = shape <= 5 ? random.nextInt(2) : 1 + random.nextInt(2); i < n; i++) {
            String operator = OPERATORS[random.nextInt(OPERATORS.length)];
            List<String> values = new ArrayList<>();
            if (operator.equals("In") || operator.equals("NotIn")) {
                for (int v = 0, k = random.nextInt(3); v < k; v++) { // In without values selects nothing
                    values.add(VALUES[random.nextInt(VALUES.length)]);
                }
            }
            b.addNewMatchExpression().withKey(KEYS[random.nextInt(KEYS.length)]).withOperator(operator)
                    .withValues(values).endMatchExpression();
        }
        return b.build();
    }

    @Test
    void each_index_finds_exactly_what_trying_every_pair_finds_in_the_order_added() {
        Random random = new Random(42);
        List<Named> objects = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            objects.add(new Named(i, selector(random), labels(random)));
        }
        SelectorIndex<Named> bySelector = new SelectorIndex<>(Named::selector);
        LabelsIndex<Named> byLabels = new LabelsIndex<>(Named::labels);
        objects.forEach(bySelector::add);
        objects.forEach(byLabels::add);

        int found = 0;
        for (Named probe : objects) {
            List<Named> selecting = objects.stream().filter(o -> Selectors.matches(o.selector(), probe.labels())).toList();
            assertThat(bySelector.selecting(probe.labels())).as("selectors selecting %s", probe.labels())
                    .containsExactlyElementsOf(selecting);
            List<Named> selected = objects.stream().filter(o -> Selectors.matches(probe.selector(), o.labels())).toList();
            assertThat(byLabels.selectedBy(probe.selector())).as("labels selected by %s", probe.selector())
                    .containsExactlyElementsOf(selected);
            found += selecting.size() + selected.size();
        }
        assertThat(found).as("the probes found something to compare").isGreaterThan(1000);
    }
}

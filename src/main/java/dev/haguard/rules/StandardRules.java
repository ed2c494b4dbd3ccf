package dev.haguard.rules;

import dev.haguard.engine.AdmissionEngine;
import dev.haguard.engine.Rule;
import java.util.List;

/** The rules ha-guard ships, in the order they are evaluated and reported. */
public final class StandardRules {

    private StandardRules() {
    }

    public static List<Rule<?>> all() {
        return List.of(new TopologySpreadRule(), new MinReplicasRule(), new ImmutableObjectsRule(),
                new ImmutablePodsRule(), new ImageReferencesRule());
    }

    public static AdmissionEngine engine() {
        return new AdmissionEngine(all());
    }
}

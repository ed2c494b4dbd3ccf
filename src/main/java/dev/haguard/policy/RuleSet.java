package dev.haguard.policy;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The settings of every rule, by rule key, in the order the rules are registered. In a document an omitted rule
 * or key inherits from the level below: built-ins under defaults, defaults under an override.
 */
public final class RuleSet {

    /** A document level that sets nothing. */
    public static final RuleSet EMPTY = new RuleSet(Map.of());

    private final Map<String, RuleConfig<?>> byKey;

    RuleSet(Map<String, RuleConfig<?>> byKey) {
        this.byKey = Collections.unmodifiableMap(new LinkedHashMap<>(byKey));
    }

    /** What applies where a policy says nothing about the rules in {@code catalog}. */
    static RuleSet builtIn(List<RuleSettings<?>> catalog) {
        Map<String, RuleConfig<?>> settings = new LinkedHashMap<>();
        catalog.stream().filter(RuleSettings::configurable).forEach(s -> settings.put(s.key(), s.builtIn()));
        return new RuleSet(settings);
    }

    /** One rule's settings; its built-in ones where this set has none, and always for a fixed rule. */
    public <C extends RuleConfig<C>> C get(RuleSettings<C> settings) {
        RuleConfig<?> config = settings.configurable() ? byKey.get(settings.key()) : null;
        return config == null ? settings.builtIn() : settings.type().cast(config);
    }

    /** These settings over {@code base}: what this set leaves unset, base decides. */
    public RuleSet over(RuleSet base) {
        Map<String, RuleConfig<?>> merged = new LinkedHashMap<>(base.byKey);
        byKey.forEach((key, config) -> merged.merge(key, config, (under, over) -> merge(over, under)));
        return new RuleSet(merged);
    }

    @SuppressWarnings("unchecked")
    private static <C extends RuleConfig<C>> RuleConfig<?> merge(RuleConfig<?> over, RuleConfig<?> under) {
        return ((C) over).over((C) under);
    }

    /** The effective-policy view ({@code /q/policy}, the policy digest): rule key to settings. */
    @JsonValue
    Map<String, RuleConfig<?>> byKey() {
        return byKey;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RuleSet r && r.byKey.equals(byKey);
    }

    @Override
    public int hashCode() {
        return byKey.hashCode();
    }

    @Override
    public String toString() {
        return byKey.toString();
    }
}

package dev.haguard.policy;

/**
 * What the policy knows of one rule: the key its settings sit under in a document, their type, and the settings
 * that apply where a document says nothing. Each rule declares its own; the parser, the merge of defaults and
 * overrides, and the effective-policy view learn the rules from these alone.
 *
 * @param configurable false for ha-guard's own safeguards: no document key, {@code builtIn} always applies
 */
public record RuleSettings<C extends RuleConfig<C>>(String key, Class<C> type, C builtIn, boolean configurable) {

    public static <C extends RuleConfig<C>> RuleSettings<C> of(String key, Class<C> type, C builtIn) {
        return new RuleSettings<>(key, type, builtIn, true);
    }

    /** Settings that no policy can change. */
    public static <C extends RuleConfig<C>> RuleSettings<C> fixed(String key, Class<C> type, C value) {
        return new RuleSettings<>(key, type, value, false);
    }
}

package dev.haguard;

import dev.haguard.engine.Coverage;
import dev.haguard.engine.Finding;
import dev.haguard.engine.Rule;
import dev.haguard.engine.RuleContext;
import dev.haguard.engine.Webhook;
import dev.haguard.policy.RuleSettings;
import dev.haguard.policy.SimpleRuleConfig;
import java.util.List;
import java.util.function.Function;

/** Rules made up for tests of what surrounds the rules: the engine, the warm-up. */
public final class TestRules {

    private TestRules() {
    }

    /** A rule named {@code name} that judges every CREATE and UPDATE, on both webhooks, with {@code judge}. */
    public static Rule<SimpleRuleConfig> everyWrite(String name, Function<RuleContext, Finding> judge) {
        return new Rule<>() {
            @Override
            public RuleSettings<SimpleRuleConfig> settings() {
                return RuleSettings.fixed(name, SimpleRuleConfig.class, SimpleRuleConfig.ENFORCED);
            }

            @Override
            public List<Coverage> coverage() {
                return List.of(new Coverage(Webhook.MUTATE, "*", "*", Coverage.WRITES),
                        new Coverage(Webhook.VALIDATE, "*", "*", Coverage.WRITES));
            }

            @Override
            public Finding evaluate(RuleContext context, SimpleRuleConfig config) {
                return judge.apply(context);
            }
        };
    }
}

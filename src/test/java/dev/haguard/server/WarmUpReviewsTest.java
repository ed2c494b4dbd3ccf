package dev.haguard.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haguard.Policies;
import dev.haguard.codec.ReviewCodec;
import dev.haguard.engine.Outcome;
import dev.haguard.engine.Rule;
import dev.haguard.engine.RuleDecision;
import dev.haguard.engine.Webhook;
import dev.haguard.rules.StandardRules;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The warm-up warms what serves: every rule that judges requests acts on at least one of the rules' warm-up reviews. */
class WarmUpReviewsTest {

    @Test
    void every_rule_but_the_policy_check_acts_on_a_warm_up_review() {
        Set<String> acted = new HashSet<>();
        for (StandardRules.Sample sample : StandardRules.DEFAULT.warmUp()) {
            for (Webhook webhook : Webhook.values()) {
                for (RuleDecision d : Policies.run(ReviewCodec.read(sample.body()), Policies.DEFAULT, webhook).rules()) {
                    if (d.outcome() != Outcome.SKIP) {
                        acted.add(d.rule());
                    }
                }
            }
        }
        // A rule that judges no request (placement: only the scan) has nothing for a warm-up to warm.
        Set<String> rules = new HashSet<>(StandardRules.DEFAULT.rules().stream().filter(r -> !r.coverage().isEmpty())
                .map(Rule::name).toList());
        // It judges only ha-guard's own policy ConfigMap, in ha-guard's namespace.
        rules.remove("policyDocument");
        // It judges nothing until the cluster's budget caches are filled; a warm-up cannot fake a cluster.
        rules.remove("disruptionBudgets");
        // At admission it judges only a Namespace's haguard.dev/rpo annotation: rare, and cheap when it comes.
        rules.remove("backups");

        assertThat(acted).containsAll(rules);
    }

    @Test
    void each_rule_acts_on_its_own_samples() {
        for (Rule<?> rule : StandardRules.DEFAULT.rules()) {
            for (String name : rule.warmUp()) {
                byte[] body = StandardRules.DEFAULT.warmUp().stream().filter(s -> s.name().equals(name)).findFirst()
                        .orElseThrow().body();
                boolean acted = false;
                for (Webhook webhook : Webhook.values()) {
                    acted |= Policies.run(ReviewCodec.read(body), Policies.DEFAULT, webhook).rules().stream()
                            .anyMatch(d -> d.rule().equals(rule.name()) && d.outcome() != Outcome.SKIP);
                }
                assertThat(acted).as(rule.name() + " on its warm-up review " + name).isTrue();
            }
        }
    }
}

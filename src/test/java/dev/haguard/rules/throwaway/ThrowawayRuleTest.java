package dev.haguard.rules.throwaway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haguard.backstop.Backstop;
import dev.haguard.codec.ReviewCodec;
import dev.haguard.deploy.Install;
import dev.haguard.engine.RuleDecision;
import dev.haguard.engine.Webhook;
import dev.haguard.json.Json;
import dev.haguard.json.Yaml;
import dev.haguard.policy.Policy;
import dev.haguard.policy.PolicyConfigMap;
import dev.haguard.rules.StandardRules;
import dev.haguard.scan.Checker;
import dev.haguard.scan.Document;
import dev.haguard.scan.Scan;
import dev.haguard.scan.ScanReport;
import dev.haguard.scan.Verdict;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A rule is a plug-in: a throwaway rule in a test folder, given to StandardRules, is picked up by everything that loops
 * over the rules, with no other edit: the policy parser, the webhook configuration's coverage and RBAC checks (which
 * report what deploy/ does not send or grant it), check, scan, the backstop's listing and the warm-up.
 */
class ThrowawayRuleTest {

    private static final StandardRules RULES = new StandardRules(PolicyConfigMap.DEFAULT, "ha-guard",
            List.of(new ThrowawayRule()));
    private static final Policy POLICY = RULES.parser().parse("version: 1\ndefaults: {throwaway: {mode: enforce}}\n",
            "test policy");

    private static final String INGRESS = """
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: {name: web, namespace: shop}
            spec: {rules: [{host: shop.example}]}
            """;

    private static List<Document> docs(String yaml) throws Exception {
        return Yaml.readAll(yaml).stream().map(d -> new Document("<test>", d.content(), d, "")).toList();
    }

    @Test
    void the_policy_takes_its_settings_and_the_engine_runs_it() {
        assertThat(POLICY.defaults().get(ThrowawayRule.SETTINGS).mode().label()).isEqualTo("enforce");
        assertThat(RULES.rules()).anySatisfy(r -> assertThat(r.name()).isEqualTo("throwaway"));
    }

    @Test
    void the_install_checks_report_what_deploy_does_not_send_or_grant_it() {
        assertThat(Install.unsent(RULES, Install.hooks(Install.INSTALL))).singleElement().satisfies(u -> assertThat(u)
                .startsWith("throwaway: ").contains("ingresses"));
        assertThat(Install.reading(RULES)).contains("networking.k8s.io/ingresses:list,watch")
                .containsAll(Install.reading(StandardRules.DEFAULT));
    }

    @Test
    void check_reads_its_kind_as_its_model_and_judges_it() throws Exception {
        List<Verdict> verdicts = new Checker(RULES, POLICY, EnumSet.allOf(Webhook.class), "default")
                .check(docs(INGRESS), note -> { });

        RuleDecision throwaway = verdicts.get(0).validate().rules().stream().filter(r -> r.rule().equals("throwaway"))
                .findFirst().orElseThrow();
        assertThat(verdicts.get(0).allowed()).isFalse();
        assertThat(throwaway.message()).contains("serves without TLS");
    }

    @Test
    void scan_lists_judges_and_reads_what_it_declares() throws Exception {
        ScanReport report = Scan.judge(docs(INGRESS + "---\n" + """
                apiVersion: v1
                kind: Node
                metadata: {name: node-a}
                """), RULES, POLICY, Instant.now(), null, List.of(), note -> { });

        assertThat(RULES.listed()).contains(ThrowawayRule.INGRESS);
        assertThat(report.findings()).anySatisfy(f -> {
            assertThat(f.rule()).isEqualTo("throwaway");
            assertThat(f.object()).isEqualTo("Ingress web");
        }).anySatisfy(f -> assertThat(f.message()).isEqualTo("1 Ingress(es) serve without TLS"));
        assertThat(report.notJudged()).doesNotContainKey("Ingress (no rule judges it)");
    }

    @Test
    void the_backstop_lists_it_as_left_to_the_webhook_with_its_reason() {
        assertThat(Backstop.of(POLICY, "ha-guard", RULES.rules()).notExpressed())
                .contains("throwaway: a test's throwaway rule");
    }

    @Test
    void the_warm_up_sends_its_review_and_the_rule_acts_on_it() {
        StandardRules.Sample sample = RULES.warmUp().stream().filter(s -> s.rule().equals("throwaway")).findFirst()
                .orElseThrow();
        JsonNode decided = Json.MAPPER.valueToTree(RULES.engine().decide(ReviewCodec.read(sample.body()), POLICY,
                Webhook.VALIDATE).rules());

        assertThat(sample.name()).isEqualTo("ingress-create.validate.json");
        assertThat(decided.findValuesAsText("rule")).contains("throwaway");
        assertThat(RULES.needs()).contains(dev.haguard.engine.ClusterView.Need.NODES);
    }
}

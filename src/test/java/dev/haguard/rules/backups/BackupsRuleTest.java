package dev.haguard.rules.backups;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haguard.Admissions;
import dev.haguard.Policies;
import dev.haguard.engine.Decision;
import dev.haguard.engine.Outcome;
import dev.haguard.engine.Webhook;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import org.junit.jupiter.api.Test;

class BackupsRuleTest {

    private static Namespace namespace(String rpo) {
        var b = new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata();
        if (rpo != null) {
            b.editMetadata().addToAnnotations(BackupsRule.RPO_ANNOTATION, rpo).endMetadata();
        }
        return b.build();
    }

    @Test
    void a_namespace_rpo_that_does_not_parse_is_refused_per_mode_with_the_reason() {
        Decision warned = Policies.validate(Admissions.create(namespace("soon")));
        Decision enforced = Policies.run(Admissions.create(namespace("soon")), Policies.of("defaults: {backups: {mode: "
                + "enforce}}"), Webhook.VALIDATE);

        assertThat(warned.allowed()).isTrue();
        assertThat(warned.warnings()).anySatisfy(w -> assertThat(w).contains("haguard.dev/rpo is \"soon\", which is not "
                + "a duration", "haguard.dev/rpo: 4h"));
        assertThat(enforced.allowed()).isFalse();
        assertThat(enforced.message()).contains("shop", "[backups]");
    }

    @Test
    void a_looser_rpo_is_admitted_with_word_that_it_is_ignored_and_a_stricter_one_passes() {
        Decision looser = Policies.validate(Admissions.create(namespace("7d")));
        Decision stricter = Policies.validate(Admissions.update(namespace(null), namespace("4h")));

        assertThat(looser.warnings()).anySatisfy(w -> assertThat(w).contains("7d is looser than the policy's RPO 24h, "
                + "so it is ignored"));
        assertThat(Policies.rule(stricter, "backups").outcome()).isEqualTo(Outcome.PASS);
        assertThat(Policies.rule(Policies.validate(Admissions.create(namespace(null))), "backups").outcome())
                .isEqualTo(Outcome.SKIP);
    }
}

package dev.haguard.rules.backups;

import dev.haguard.engine.Coverage;
import dev.haguard.engine.Finding;
import dev.haguard.engine.Rule;
import dev.haguard.engine.RuleContext;
import dev.haguard.engine.Webhook;
import dev.haguard.policy.RuleSettings;
import dev.haguard.rules.common.Workloads;
import io.fabric8.kubernetes.api.model.Namespace;
import java.util.List;

/**
 * Backups as policy. Scan judges whether each namespace with data is backed up within its RPO (cli BackupFindings,
 * with {@link VeleroSchedules} and {@link CronGaps}); at admission, so far, a Namespace's own RPO annotation: one
 * that does not parse is refused per mode with the reason, and one looser than the policy's is admitted with word
 * that it is ignored.
 */
public final class BackupsRule implements Rule<BackupsConfig> {

    /** Its key in the policy, its settings and the settings where a policy says nothing. */
    public static final RuleSettings<BackupsConfig> SETTINGS =
            RuleSettings.of("backups", BackupsConfig.class, BackupsConfig.BUILT_IN);

    /** A namespace may ask for a stricter RPO than the policy's, never a looser one. */
    public static final String RPO_ANNOTATION = "haguard.dev/rpo";

    @Override
    public RuleSettings<BackupsConfig> settings() {
        return SETTINGS;
    }

    @Override
    public List<Coverage> coverage() {
        return List.of(new Coverage(Webhook.VALIDATE, "", "namespaces", Coverage.WRITES));
    }

    @Override
    public Finding evaluate(RuleContext context, BackupsConfig config) {
        if (!(context.target() instanceof Namespace namespace)) {
            return Finding.skip("not a Namespace");
        }
        String asked = Workloads.annotations(namespace).get(RPO_ANNOTATION);
        if (asked == null) {
            return Finding.skip("no " + RPO_ANNOTATION + " annotation: the policy's RPO " + config.rpo() + " applies");
        }
        if (!BackupsConfig.valid(asked) || BackupsConfig.parse(asked).isZero()) {
            return Finding.violation(RPO_ANNOTATION + " is \"" + asked + "\", which is not a duration. Fix: write a "
                    + "number and a unit, d, h, m or s, such as " + RPO_ANNOTATION + ": 4h (at most the policy's "
                    + config.rpo() + ").");
        }
        if (BackupsConfig.parse(asked).compareTo(BackupsConfig.parse(config.rpo())) > 0) {
            return Finding.notice(RPO_ANNOTATION + " " + asked + " is looser than the policy's RPO " + config.rpo()
                    + ", so it is ignored: a namespace may only ask for more frequent backups.");
        }
        return Finding.pass();
    }
}

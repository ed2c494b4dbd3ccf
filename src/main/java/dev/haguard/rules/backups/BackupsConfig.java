package dev.haguard.rules.backups;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.haguard.policy.Mode;
import dev.haguard.policy.PolicyException;
import dev.haguard.policy.RuleConfig;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Settings of the backups rule.
 *
 * @param rpo the most data loss, in time, a namespace's backups may allow (24h, 4h, 30m)
 * @param restoreTestMaxAge how old the last restore drill may be (30d; 0 turns drills off)
 * @param rto how long a restore may take (optional)
 * @param namespaces which namespaces need backups: {@code stateful} (they hold data: PVCs, StatefulSets with
 *                   volumeClaimTemplates, pods mounting claims) or {@code all}
 */
public record BackupsConfig(Mode mode, String rpo, String restoreTestMaxAge, String rto, Needs namespaces)
        implements RuleConfig<BackupsConfig> {

    private static final Pattern DURATION = Pattern.compile("(\\d+)(d|h|m|s)"); // before BUILT_IN, which uses it

    static final BackupsConfig BUILT_IN = new BackupsConfig(Mode.WARN, "24h", "30d", null, Needs.STATEFUL);

    public enum Needs {
        @JsonProperty("stateful") STATEFUL,
        @JsonProperty("all") ALL
    }

    public BackupsConfig {
        check("rpo", rpo, false);
        check("restoreTestMaxAge", restoreTestMaxAge, true);
        check("rto", rto, false);
    }

    private static void check(String key, String value, boolean zeroAllowed) {
        if (value != null) {
            PolicyException.require(valid(value) && (zeroAllowed || !parse(value).isZero()), key, "\"" + value
                    + "\" is not a duration: write a number and a unit, d, h, m or s, such as 24h, 30m or 7d"
                    + (zeroAllowed ? " (0 turns it off)" : ""));
        }
    }

    public static boolean valid(String text) {
        return text.trim().equals("0") || DURATION.matcher(text.trim().toLowerCase(Locale.ROOT)).replaceAll("").isEmpty()
                && !text.isBlank();
    }

    /** 24h, 30m, 7d, 1h30m; 0 is zero. */
    public static Duration parse(String text) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        Duration total = Duration.ZERO;
        while (m.find()) {
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "d" -> Duration.ofDays(n);
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofSeconds(n);
            });
        }
        return total;
    }

    @Override
    public BackupsConfig over(BackupsConfig base) {
        return new BackupsConfig(RuleConfig.or(mode, base.mode), RuleConfig.or(rpo, base.rpo),
                RuleConfig.or(restoreTestMaxAge, base.restoreTestMaxAge), RuleConfig.or(rto, base.rto),
                RuleConfig.or(namespaces, base.namespaces));
    }
}

package dev.haguard.rules.backups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CronGapsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0 2 * * *     | PT24H",
            "0 */6 * * *   | PT6H",
            "0 2 * * 1-5   | PT72H",      // Friday 02:00 to Monday 02:00: the weekend gap
            "30 1 * * 0    | PT168H",
            "0 3 1 * *     | PT744H",     // 31 days: from the 1st of a 31-day month to the next 1st
            "0 3 31 * *    | PT1464H",    // only months with 31 days: Jul 31 to Aug 31 is 31 days, Aug 31 to Oct 31 61
            "0 0 1 * 1     | PT168H",     // the 1st of the month OR a Monday, as Vixie cron and robfig read it
            "@daily        | PT24H",
            "@hourly       | PT1H",
            "@weekly       | PT168H",
            "@every 6h     | PT6H",
            "@every 1h30m  | PT1H30M"})
    void the_longest_gap_between_runs(String expression, Duration gap) {
        assertThat(CronGaps.longestGap(expression)).isEqualTo(gap);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"0 2 * *", "@every", "@every 6 hours", "61 * * * *", "@fortnightly"})
    void what_velero_would_refuse_is_refused_with_a_reason(String expression) {
        assertThatThrownBy(() -> CronGaps.longestGap(expression)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(expression.trim());
    }
}

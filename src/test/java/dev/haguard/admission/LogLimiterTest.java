package dev.haguard.admission;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Refusals and shed requests are logged at most once a second, each line saying how many it stands for. */
class LogLimiterTest {

    @Test
    void one_line_a_second_reports_every_event_since_the_last() throws InterruptedException {
        LogLimiter limiter = new LogLimiter();

        assertThat(limiter.count()).as("the first event is reported at once").isEqualTo(1);
        for (int i = 0; i < 99; i++) {
            assertThat(limiter.count()).as("within the same second").isZero();
        }
        Thread.sleep(1_100);
        assertThat(limiter.count()).as("the 99 held back, and this one").isEqualTo(100);
    }
}

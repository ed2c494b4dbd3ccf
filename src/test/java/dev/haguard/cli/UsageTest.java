package dev.haguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The top level of the command line: a typo is refused with a suggestion, never a server start. */
class UsageTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private PrintStream stream(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }

    @Test
    void a_typo_is_refused_with_exit_2_and_the_nearest_verb() {
        assertThat(Usage.run("chek", stream(out), stream(err))).isEqualTo(2);

        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown command \"chek\"; did you mean \"check\"?")
                .contains("Usage: ha-guard");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void a_word_far_from_every_verb_gets_no_suggestion() {
        assertThat(Usage.run("kubectl", stream(out), stream(err))).isEqualTo(2);

        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown command \"kubectl\"").doesNotContain("did you mean");
    }

    @Test
    void help_and_version_answer_on_stdout_with_exit_0() {
        assertThat(Usage.run("--help", stream(out), stream(err))).isZero();
        assertThat(Usage.run("--version", stream(out), stream(err))).isZero();

        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Usage: ha-guard", "check FILE|DIR|-")
                .contains(Version.current());
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void every_verb_prints_the_version() {
        assertThat(CheckCommand.run(new String[] {"-V"}, InputStream.nullInputStream(), stream(out), stream(err))).isZero();
        assertThat(AuditCommand.run(new String[] {"--version"}, stream(out), stream(err))).isZero();
        assertThat(AuditCommand.run(new String[] {"verify", "-V"}, stream(out), stream(err))).isZero();

        assertThat(out.toString(StandardCharsets.UTF_8).lines()).hasSize(3).allMatch(line -> line.startsWith("ha-guard "));
    }
}

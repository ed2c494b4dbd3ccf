package dev.haguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar's first argument: only none or {@code serve} starts the server; the version is the jar's. */
class CommandLineIT {

    private record Result(int exit, String out, String err) {
    }

    private static Result run(String... args) throws Exception {
        return run(new ProcessBuilder(), args);
    }

    private static Result run(ProcessBuilder builder, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("java", "-jar", "target/quarkus-app/quarkus-run.jar"));
        command.addAll(List.of(args));
        Process process = builder.command(command).start();
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("%s exits on its own, no server left running", command)
                .isTrue();
        return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void a_typo_exits_2_without_starting_the_server() throws Exception {
        Result typo = run("chek", "deploy/");

        assertThat(typo.exit()).isEqualTo(2);
        assertThat(typo.err()).contains("did you mean \"check\"?").doesNotContain("Listening on");
    }

    @Test
    void a_broken_policy_file_at_start_up_is_one_line_naming_file_and_line_then_exit_2(@TempDir Path dir)
            throws Exception {
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, "version: 1\ndefaults:\n  minReplicas:\n    minimum: many\n");
        ProcessBuilder server = new ProcessBuilder();
        server.environment().put("HAGUARD_POLICY_FILE", policy.toString());

        Result start = run(server);

        assertThat(start.exit()).isEqualTo(2);
        assertThat(start.err().lines().filter(line -> !line.isBlank())).singleElement().asString()
                .startsWith("ha-guard: the policy file is not usable: " + policy).contains("line 4");
        assertThat(start.out()).doesNotContain("Listening on");
    }

    @Test
    void version_at_the_top_and_for_a_verb_is_the_jar_s_version() throws Exception {
        Result top = run("--version");
        Result check = run("check", "-V");

        assertThat(top.exit()).isZero();
        assertThat(check.exit()).isZero();
        assertThat(top.out().strip()).matches("ha-guard \\d+\\.\\d+\\.\\d+.*").isEqualTo(check.out().strip());
    }
}

package dev.haguard.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import picocli.CommandLine;

/** What every verb's command line shares: its streams, enum values in any case, and usage errors as exit 2. */
final class Verb {

    private Verb() {
    }

    /**
     * The policy in {@code file}, or the packaged default without one; null after saying on {@code err}, as
     * "{@code name}: unusable policy: ...", why the file cannot be used.
     */
    static dev.haguard.policy.Policy policy(dev.haguard.rules.StandardRules standard, java.nio.file.Path file,
            String name, PrintStream err) {
        try {
            return file == null ? standard.parser().packagedDefault() : standard.parser().parse(file);
        } catch (dev.haguard.policy.PolicyException e) {
            err.println(name + ": unusable policy: " + e.getMessage());
            return null;
        }
    }

    /** Runs {@code command} on {@code args}; a usage error prints "{@code name}: problem" and the usage, exit 2. */
    static int execute(Object command, String name, String[] args, PrintStream out, PrintStream err) {
        CommandLine cli = new CommandLine(command).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler((e, a) -> {
            err.println(name + ": " + e.getMessage());
            e.getCommandLine().usage(err);
            return CheckCommand.UNUSABLE;
        });
        return cli.execute(args);
    }
}

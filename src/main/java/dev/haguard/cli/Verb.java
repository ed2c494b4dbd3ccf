package dev.haguard.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import picocli.CommandLine;

/** What every verb's command line shares: its streams, enum values in any case, and usage errors as exit 2. */
final class Verb {

    private Verb() {
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

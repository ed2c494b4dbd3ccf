package dev.haguard;

import dev.haguard.cli.AuditCommand;
import dev.haguard.cli.CheckCommand;
import dev.haguard.server.WarmUp;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.util.Arrays;

/**
 * One jar, two uses: {@code check ...} and {@code audit ...} run as plain command-line tools, without the HTTP
 * server, CDI or Quarkus configuration; anything else starts the webhook server.
 */
@QuarkusMain
public class Main {

    public static void main(String... args) {
        if (args.length > 0 && args[0].equals("check")) {
            System.exit(CheckCommand.run(Arrays.copyOfRange(args, 1, args.length), System.in, System.out, System.err));
        }
        if (args.length > 0 && args[0].equals("audit")) {
            System.exit(AuditCommand.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
        }
        WarmUp.preload(); // overlaps Quarkus' own start-up; readiness waits for the warm-up of the served engine
        Quarkus.run(args);
    }
}

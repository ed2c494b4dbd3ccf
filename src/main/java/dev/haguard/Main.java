package dev.haguard;

import dev.haguard.cli.AuditCommand;
import dev.haguard.cli.CheckCommand;
import dev.haguard.cli.DrillCommand;
import dev.haguard.cli.ExportCommand;
import dev.haguard.cli.ScanCommand;
import dev.haguard.cli.Usage;
import dev.haguard.json.Json;
import dev.haguard.policy.PolicyException;
import dev.haguard.rules.StandardRules;
import dev.haguard.server.WarmUp;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * One jar, several uses: no argument or {@code serve} starts the webhook server; {@code check ...}, {@code scan ...},
 * {@code drill ...}, {@code export ...} and {@code audit ...} run as plain command-line tools, without the HTTP server, CDI or Quarkus configuration; anything
 * else (a typo, {@code --help}, {@code --version}) is answered by {@link Usage} and never starts a server.
 */
@QuarkusMain
public class Main {

    public static void main(String... args) {
        String verb = args.length == 0 ? "serve" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (verb) {
            case "serve" -> {
                String broken = brokenPolicyFile();
                if (broken != null) {
                    System.err.println("ha-guard: " + broken);
                    System.exit(CheckCommand.UNUSABLE);
                }
                WarmUp.preload(); // overlaps Quarkus' own start-up; readiness waits for the warm-up
                Quarkus.run(rest);
            }
            case "check" -> {
                System.setProperty(Json.GENERATED_ACCESSORS, "false"); // one pass over a few objects: see Json
                System.exit(CheckCommand.run(rest, System.in, System.out, System.err));
            }
            case "scan" -> {
                System.setProperty(Json.GENERATED_ACCESSORS, "false"); // one pass over the objects: see Json
                System.exit(ScanCommand.run(rest, System.in, System.out, System.err));
            }
            case "audit" -> System.exit(AuditCommand.run(rest, System.out, System.err));
            case "drill" -> System.exit(DrillCommand.run(rest, System.out, System.err));
            case "export" -> System.exit(ExportCommand.run(rest, System.out, System.err));
            default -> System.exit(Usage.run(verb, System.out, System.err));
        }
    }

    /**
     * What is wrong with the policy file named where an admin names it (-Dhaguard.policy.file, HAGUARD_POLICY_FILE),
     * in one line with file and line, or null. Checked before Quarkus starts, whose failure would be a stack trace.
     */
    static String brokenPolicyFile() {
        String file = System.getProperty("haguard.policy.file", System.getenv("HAGUARD_POLICY_FILE"));
        if (file == null || file.isBlank()) {
            return null;
        }
        try {
            StandardRules.DEFAULT.parser().parse(Path.of(file));
            return null;
        } catch (PolicyException e) {
            return "the policy file is not usable: " + e.getMessage();
        }
    }
}

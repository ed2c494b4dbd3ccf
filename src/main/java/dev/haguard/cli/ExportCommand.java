package dev.haguard.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.haguard.cel.Autoscaled;
import dev.haguard.backstop.Backstop;
import dev.haguard.policy.Policy;
import dev.haguard.policy.PolicyConfigMap;
import dev.haguard.rules.StandardRules;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ha-guard export vap}: the policy's validating checks as ValidatingAdmissionPolicies, for kubectl apply. */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Print the policy's validating checks as ValidatingAdmissionPolicies and their bindings "
                + "(admissionregistration.k8s.io/v1, CEL), which the API server evaluates itself: a backstop while no "
                + "ha-guard replica answers. What is not expressed is listed in a comment and on standard error.",
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:printed", "2:usage or policy errors"})
public final class ExportCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FORMAT", description = "vap (the only one).")
    String format;

    @Option(names = "--policy", paramLabel = "FILE", description = "Policy file (default: the packaged default policy).")
    Path policy;

    @Option(names = "--namespace", paramLabel = "NS", description = "ha-guard's namespace: the backstop leaves it out "
            + "as the webhooks do, and reads the ConfigMap " + Autoscaled.NAME + " there (default: ${DEFAULT-VALUE}).")
    String namespace = Backstop.NAMESPACE;

    @Option(names = "--deny-only", description = "Only the policies bound Deny: what ha-guard's leader keeps with "
            + "haguard.backstop.enabled, alongside the webhook, which gives the warnings itself.")
    boolean denyOnly;

    private PrintStream out;
    private PrintStream err;

    public static int run(String[] args, PrintStream out, PrintStream err) {
        ExportCommand command = new ExportCommand();
        command.out = out;
        command.err = err;
        return Verb.execute(command, "export", args, out, err);
    }

    @Override
    public Integer call() throws Exception {
        if (!"vap".equals(format)) {
            err.println("export: \"" + format + "\" is not a format: the one there is is vap");
            return CheckCommand.UNUSABLE;
        }
        StandardRules standard = new StandardRules(PolicyConfigMap.DEFAULT, "ha-guard");
        Policy rules = Verb.policy(standard, policy, "export", err);
        if (rules == null) {
            return CheckCommand.UNUSABLE;
        }
        Backstop.Export all = Backstop.of(rules, namespace, standard.rules());
        Backstop.Export export = denyOnly ? all.denyOnly() : all;
        out.println("# ha-guard's backstop: ValidatingAdmissionPolicies from " + (policy == null ? "the packaged default "
                + "policy" : policy) + ". kubectl apply -f this file; kubectl get validatingadmissionpolicies -l "
                + "haguard.dev/backstop=true");
        out.println("# Not expressed here (the webhook still checks them):");
        export.notExpressed().forEach(n -> out.println("#   - " + n));
        YAMLMapper yaml = YAMLMapper.builder().enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .disable(YAMLGenerator.Feature.SPLIT_LINES).build();
        out.println("# " + Autoscaled.NAME + ": which workloads an HPA scales (namespace_resource_name: hpa), which the "
                + "minReplicas backstop leaves to the HPA as the webhook does. ha-guard's leader keeps it with "
                + "haguard.backstop.enabled; without ha-guard, list them here yourself.");
        out.print(yaml.writeValueAsString(Autoscaled.configMap(namespace, java.util.Map.of(), List.of())));
        for (ObjectNode o : export.objects()) {
            out.print(yaml.writeValueAsString(o));
        }
        err.println("export: " + export.objects().size() / 2 + " ValidatingAdmissionPolicies with their bindings; not "
                + "expressed (the webhook still checks them; also at the top of the output):");
        export.notExpressed().forEach(n -> err.println("  - " + n));
        return CheckCommand.ADMITTED;
    }
}

package dev.haguard.deploy;

import dev.haguard.engine.ApiKind;
import dev.haguard.engine.ClusterView;
import dev.haguard.engine.Coverage;
import dev.haguard.engine.Operation;
import dev.haguard.engine.Webhook;
import dev.haguard.rules.StandardRules;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.RuleWithOperations;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfig;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** deploy/ rendered, and what the rules ask of it: the requests their webhooks must send, the RBAC they must have. */
public final class Install {

    public static final Rendered INSTALL = Rendered.of("deploy");
    static final String NS = "ha-guard";

    private Install() {
    }

    /** A webhook of either kind, as the checks below need it. */
    public record Hook(Webhook type, String name, WebhookClientConfig client, List<RuleWithOperations> rules,
            io.fabric8.kubernetes.api.model.LabelSelector namespaceSelector,
            io.fabric8.kubernetes.api.model.LabelSelector objectSelector, String failurePolicy, String sideEffects,
            List<String> versions, Integer timeout) {
    }

    public static List<Hook> hooks(Rendered r) {
        List<Hook> hooks = new ArrayList<>();
        for (MutatingWebhook w : r.one(MutatingWebhookConfiguration.class).getWebhooks()) {
            hooks.add(new Hook(Webhook.MUTATE, w.getName(), w.getClientConfig(), w.getRules(), w.getNamespaceSelector(),
                    w.getObjectSelector(), w.getFailurePolicy(), w.getSideEffects(), w.getAdmissionReviewVersions(),
                    w.getTimeoutSeconds()));
        }
        for (ValidatingWebhook w : r.one(ValidatingWebhookConfiguration.class).getWebhooks()) {
            hooks.add(new Hook(Webhook.VALIDATE, w.getName(), w.getClientConfig(), w.getRules(), w.getNamespaceSelector(),
                    w.getObjectSelector(), w.getFailurePolicy(), w.getSideEffects(), w.getAdmissionReviewVersions(),
                    w.getTimeoutSeconds()));
        }
        return hooks;
    }

    /** What {@code rules} cover that no webhook in {@code hooks} sends, as "rule: coverage". */
    public static List<String> unsent(StandardRules rules, List<Hook> hooks) {
        List<String> unsent = new ArrayList<>();
        for (var rule : rules.rules()) {
            for (Coverage need : rule.coverage()) {
                if (hooks.stream().noneMatch(h -> h.type() == need.webhook() && h.rules().stream()
                        .anyMatch(r -> sends(r, need)))) {
                    unsent.add(rule.name() + ": " + need);
                }
            }
        }
        return unsent;
    }

    private static boolean sends(RuleWithOperations r, Coverage need) {
        boolean group = r.getApiGroups().contains(need.group()) || r.getApiGroups().contains("*");
        boolean resource = r.getResources().contains(need.resource())
                || r.getResources().contains(need.resource().contains("/") ? "*/*" : "*");
        boolean operations = need.operations().stream().map(Operation::name)
                .allMatch(op -> r.getOperations().contains(op) || r.getOperations().contains("*"));
        return group && resource && operations;
    }

    /**
     * The cluster-wide reading {@code rules} need, as "group/resource:list,watch": what their admission caches hold and
     * what a scan lists (what the background scan's leader watches).
     */
    public static Set<String> reading(StandardRules rules) {
        Set<String> out = new TreeSet<>();
        for (ClusterView.Need need : rules.needs()) {
            need.resources().forEach(r -> out.add(r + ":list,watch"));
        }
        for (ApiKind kind : rules.listed()) {
            out.add(kind.resource() + ":list,watch");
        }
        return out;
    }

    /** A kustomization in target/deploy-test/NAME: the install, with these components of deploy/components. */
    static Path withComponents(String name, String... components) throws java.io.IOException {
        Path dir = Files.createDirectories(Path.of("target/deploy-test", name));
        Files.writeString(dir.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources: [../../../deploy]
                components: [%s]
                """.formatted(java.util.Arrays.stream(components).map(c -> "../../../deploy/components/" + c)
                .collect(Collectors.joining(", "))));
        return dir;
    }

    static List<String> rules(List<PolicyRule> rules) {
        return rules.stream().flatMap(r -> r.getResources().stream().map(res -> String.join(",", r.getApiGroups()) + "/"
                + res + ":" + String.join(",", r.getVerbs()))).toList();
    }

}

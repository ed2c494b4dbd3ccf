package dev.haguard.deploy;

import dev.haguard.deploy.Install.Hook;
import static dev.haguard.deploy.Install.INSTALL;
import static dev.haguard.deploy.Install.NS;
import static dev.haguard.deploy.Install.hooks;
import static dev.haguard.deploy.Install.rules;
import static dev.haguard.deploy.Install.withComponents;
import static org.assertj.core.api.Assertions.assertThat;

import dev.haguard.engine.Coverage;
import dev.haguard.engine.Operation;
import dev.haguard.engine.Webhook;
import dev.haguard.rules.StandardRules;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.RuleWithOperations;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfig;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** deploy/components and deploy/examples: each adds what it says and nothing it does not. */
class DeployComponentsTest {

    private static io.fabric8.kubernetes.api.model.Container container() {
        return INSTALL.one(io.fabric8.kubernetes.api.model.apps.Deployment.class).getSpec().getTemplate().getSpec()
                .getContainers().get(0);
    }

    @Test
    void the_fail_closed_component_fails_only_the_general_validating_webhooks() throws Exception {
        Path dir = withComponents("fail-closed", "fail-closed");

        List<Hook> hooks = hooks(Rendered.of(dir.toString()));

        assertThat(hooks.stream().filter(h -> h.failurePolicy().equals("Fail")).map(Hook::name))
                .containsExactlyInAnyOrder("validate.ha-guard.dev", "immutable.ha-guard.dev");
        assertThat(Set.of("mutate.ha-guard.dev", "policy.ha-guard.dev")).allSatisfy(name -> assertThat(hooks)
                .filteredOn(h -> h.name().equals(name)).singleElement()
                .satisfies(h -> assertThat(h.failurePolicy()).isEqualTo("Ignore")));
    }

    @Test
    void the_argo_rollouts_component_sends_the_resource_the_example_policy_names() throws Exception {
        Path dir = withComponents("argo-rollouts", "argo-rollouts");
        var kinds = dev.haguard.rules.StandardRules.DEFAULT.parser().parse(Path.of("policies/argo-rollouts.yaml"))
                .workloadKinds();

        Hook validate = hooks(Rendered.of(dir.toString())).stream().filter(h -> h.name().equals("validate.ha-guard.dev"))
                .findFirst().orElseThrow();

        assertThat(kinds).singleElement().satisfies(kind -> assertThat(validate.rules()).anySatisfy(rule -> {
            assertThat(rule.getApiGroups()).containsExactly(kind.group());
            assertThat(rule.getResources()).containsExactly(kind.resource());
            assertThat(rule.getOperations()).containsExactlyInAnyOrder("CREATE", "UPDATE");
        }));
    }

    @Test
    void the_restore_drill_example_runs_a_valid_drill_as_an_account_bound_to_what_a_drill_does() {
        Rendered drill = Rendered.of("deploy/examples/restore-drill");
        var cron = drill.one(io.fabric8.kubernetes.api.model.batch.v1.CronJob.class);
        PodSpec pod = cron.getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
        List<String> args = pod.getContainers().get(0).getArgs();

        assertThat(args.get(0)).isEqualTo("drill");
        new picocli.CommandLine(new dev.haguard.cli.DrillCommand()).parseArgs(args.subList(1, args.size())
                .toArray(String[]::new)); // throws on an option drill does not have
        assertThat(pod.getContainers().get(0).getImage()).isEqualTo(INSTALL.one(Deployment.class).getSpec().getTemplate()
                .getSpec().getContainers().get(0).getImage());
        assertThat(cron.getSpec().getConcurrencyPolicy()).isEqualTo("Forbid");
        String key = args.get(args.indexOf("--signing-key") + 1);
        assertThat(pod.getContainers().get(0).getVolumeMounts()).as("the signing key comes from a Secret")
                .anySatisfy(m -> {
                    assertThat(key).startsWith(m.getMountPath() + "/");
                    assertThat(pod.getVolumes()).anySatisfy(v -> {
                        assertThat(v.getName()).isEqualTo(m.getName());
                        assertThat(v.getSecret().getSecretName()).isEqualTo("ha-guard-drill-signing");
                    });
                });
        ClusterRoleBinding binding = drill.one(ClusterRoleBinding.class);
        assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
            assertThat(s.getName()).isEqualTo(pod.getServiceAccountName());
            assertThat(s.getNamespace()).isEqualTo(cron.getMetadata().getNamespace());
        });
        // What DrillCommand calls: list Backups, create and get its Restore, get and patch (edit) the namespace, delete
        // the scratch namespace, list the restored Deployments and StatefulSets.
        assertThat(rules(drill.one(ClusterRole.class).getRules())).containsExactlyInAnyOrder("velero.io/backups:list",
                "velero.io/restores:create,get", "/namespaces:get,patch,delete", "apps/deployments:list",
                "apps/statefulsets:list");
    }

    @Test
    void the_report_components_install_the_crds_or_switch_to_openreports_with_its_rbac() throws Exception {
        Path dir = withComponents("reports", "policy-reports", "openreports");
        Rendered rendered = Rendered.of(dir.toString());

        assertThat(rendered.all(io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition.class))
                .extracting(c -> c.getMetadata().getName())
                .containsExactlyInAnyOrder("policyreports.wgpolicyk8s.io", "clusterpolicyreports.wgpolicyk8s.io");
        assertThat(rendered.one(Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .anySatisfy(e -> {
                    assertThat(e.getName()).isEqualTo("HAGUARD_SCAN_REPORT_API");
                    assertThat(dev.haguard.server.PolicyReports.Api.of(e.getValue()))
                            .isEqualTo(dev.haguard.server.PolicyReports.Api.OPENREPORTS);
                });
        assertThat(rules(rendered.one(ClusterRole.class).getRules())).contains(
                "openreports.io/reports:get,list,create,update,delete",
                "openreports.io/clusterreports:get,list,create,update,delete");
    }

    @Test
    void the_default_budgets_component_lets_the_leader_write_budgets_and_nothing_else() throws Exception {
        Path dir = withComponents("default-budgets", "default-budgets");
        Rendered rendered = Rendered.of(dir.toString());

        List<String> added = new java.util.ArrayList<>(rules(rendered.one(ClusterRole.class).getRules()));
        added.removeAll(rules(INSTALL.one(ClusterRole.class).getRules()));
        assertThat(added).containsExactly("policy/poddisruptionbudgets:get,create,patch,update,delete");
        assertThat(rules(INSTALL.one(ClusterRole.class).getRules())).as("read only by default")
                .contains("policy/poddisruptionbudgets:list,watch");
    }

    @Test
    void the_backstop_component_turns_it_on_with_rbac_on_admission_policies_only() throws Exception {
        Path dir = withComponents("backstop", "backstop");
        Rendered rendered = Rendered.of(dir.toString());

        assertThat(rendered.one(Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .anySatisfy(e -> {
                    assertThat(e.getName()).isEqualTo("HAGUARD_BACKSTOP_ENABLED");
                    assertThat(e.getValue()).isEqualTo("true");
                });
        assertThat(rules(rendered.one(ClusterRole.class).getRules())).contains(
                "admissionregistration.k8s.io/validatingadmissionpolicies:get,list,create,update,delete",
                "admissionregistration.k8s.io/validatingadmissionpolicybindings:get,list,create,update,delete");
        assertThat(rules(INSTALL.one(ClusterRole.class).getRules())).as("off by default")
                .noneMatch(r -> r.startsWith("admissionregistration.k8s.io/"));
        assertThat(rendered.one(io.fabric8.kubernetes.api.model.rbac.Role.class).getRules())
                .as("the HPA parameter, in its own namespace, updated by name only")
                .anySatisfy(r -> {
                    assertThat(r.getResources()).containsExactly("configmaps");
                    assertThat(r.getResourceNames()).containsExactly(dev.haguard.cel.Autoscaled.NAME);
                    assertThat(r.getVerbs()).containsExactlyInAnyOrder("get", "update");
                })
                .anySatisfy(r -> assertThat(r.getVerbs()).containsExactly("create"));
    }

    @Test
    void the_network_policy_component_admits_the_given_api_server_cidr_to_the_webhook_port_only() throws Exception {
        Path dir = Files.createDirectories(Path.of("target/deploy-test/network-policy"));
        Files.writeString(dir.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources: [../../../deploy]
                components: [../../../deploy/components/network-policy]
                patches:
                  - target: {kind: NetworkPolicy, name: ha-guard}
                    patch: |-
                      - {op: replace, path: /spec/ingress/0/from/0/ipBlock/cidr, value: 10.0.0.0/28}
                      - {op: replace, path: /spec/egress/0/to/0/ipBlock/cidr, value: 10.0.0.0/28}
                """);

        Rendered rendered = Rendered.of(dir.toString());
        var policy = rendered.one(io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class);

        assertThat(policy.getMetadata().getNamespace()).isEqualTo(NS);
        assertThat(INSTALL.one(Deployment.class).getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(policy.getSpec().getPodSelector().getMatchLabels());
        assertThat(policy.getSpec().getPodSelector().getMatchLabels()).isNotEmpty();
        assertThat(policy.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
        var webhook = policy.getSpec().getIngress().get(0);
        assertThat(webhook.getFrom()).singleElement().satisfies(f -> assertThat(f.getIpBlock().getCidr())
                .isEqualTo("10.0.0.0/28"));
        assertThat(webhook.getPorts()).singleElement().satisfies(p -> assertThat(p.getPort().getIntVal())
                .isEqualTo(container().getPorts().stream().filter(c -> "https".equals(c.getName())).findFirst()
                        .orElseThrow().getContainerPort()));
        assertThat(policy.getSpec().getIngress().get(1).getPorts()).singleElement()
                .satisfies(p -> assertThat(p.getPort().getIntVal()).isEqualTo(9000));
        assertThat(policy.getSpec().getEgress()).singleElement().satisfies(e -> assertThat(e.getTo()).singleElement()
                .satisfies(t -> assertThat(t.getIpBlock().getCidr()).isEqualTo("10.0.0.0/28")));
        assertThat(INSTALL.objects()).noneMatch(o -> o.getKind().equals("NetworkPolicy"));
    }
}

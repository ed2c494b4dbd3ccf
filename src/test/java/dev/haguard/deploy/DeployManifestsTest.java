package dev.haguard.deploy;

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

/** deploy/ as kubectl would apply it: objects that fit together, and no more privilege than listed. */
class DeployManifestsTest {

    private static final Rendered INSTALL = Rendered.of("deploy");
    private static final String NS = "ha-guard";

    /** A webhook of either kind, as the checks below need it. */
    private record Hook(Webhook type, String name, WebhookClientConfig client, List<RuleWithOperations> rules,
            io.fabric8.kubernetes.api.model.LabelSelector namespaceSelector,
            io.fabric8.kubernetes.api.model.LabelSelector objectSelector, String failurePolicy, String sideEffects,
            List<String> versions, Integer timeout) {
    }

    private static List<Hook> hooks(Rendered r) {
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

    private static PodSpec pod() {
        return INSTALL.one(Deployment.class).getSpec().getTemplate().getSpec();
    }

    private static Container container() {
        return pod().getContainers().get(0);
    }

    @Test
    void installs_everything_into_the_ha_guard_namespace() {
        assertThat(INSTALL.one(Namespace.class).getMetadata().getName()).isEqualTo(NS);
        for (HasMetadata o : INSTALL.objects()) {
            boolean clusterScoped = o instanceof Namespace || o instanceof ClusterRole || o instanceof ClusterRoleBinding
                    || o instanceof MutatingWebhookConfiguration || o instanceof ValidatingWebhookConfiguration;
            assertThat(o.getMetadata().getNamespace()).as(o.getKind() + " " + o.getMetadata().getName())
                    .isEqualTo(clusterScoped ? null : NS);
        }
        assertThat(INSTALL.objects().stream().map(HasMetadata::getKind).collect(Collectors.toSet())).contains(
                "ServiceAccount", "Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding", "Deployment", "Service",
                "PodDisruptionBudget", "ConfigMap", "Issuer", "Certificate", "MutatingWebhookConfiguration",
                "ValidatingWebhookConfiguration");
    }

    @Test
    void service_webhooks_certificate_and_mounted_secret_fit_together() {
        Service service = INSTALL.one(Service.class);
        assertThat(service.getSpec().getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getPort()).isEqualTo(443);
            assertThat(p.getTargetPort().getIntVal()).isEqualTo(8443);
        });
        assertThat(container().getPorts()).extracting(ContainerPort::getContainerPort).containsExactlyInAnyOrder(8443, 9000);
        assertThat(service.getSpec().getSelector().entrySet())
                .isSubsetOf(INSTALL.one(Deployment.class).getSpec().getTemplate().getMetadata().getLabels().entrySet());

        for (Hook hook : hooks(INSTALL)) {
            var svc = hook.client().getService();
            assertThat(svc.getName()).isEqualTo(service.getMetadata().getName());
            assertThat(svc.getNamespace()).isEqualTo(NS);
            assertThat(svc.getPort()).isEqualTo(443);
            assertThat(svc.getPath()).isEqualTo("/" + hook.type().path());
        }

        GenericKubernetesResource cert = INSTALL.named("Certificate", "ha-guard-tls");
        Map<String, Object> spec = cert.get("spec");
        String dns = service.getMetadata().getName() + "." + NS + ".svc";
        assertThat(((List<?>) spec.get("dnsNames")).stream().map(String::valueOf).toList())
                .containsExactlyInAnyOrder(dns, dns + ".cluster.local");
        Volume tls = pod().getVolumes().stream().filter(v -> v.getSecret() != null).findFirst().orElseThrow();
        assertThat(tls.getSecret().getSecretName()).isEqualTo(spec.get("secretName"));
        String mountPath = container().getVolumeMounts().stream().filter(m -> m.getName().equals(tls.getName()))
                .findFirst().orElseThrow().getMountPath();
        assertThat(container().getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("QUARKUS_TLS_HTTPS_KEY_STORE_PEM_0_CERT");
            assertThat(e.getValue()).isEqualTo(mountPath + "/tls.crt");
        });

        String injected = NS + "/" + cert.getMetadata().getName();
        assertThat(INSTALL.one(MutatingWebhookConfiguration.class).getMetadata().getAnnotations())
                .containsEntry("cert-manager.io/inject-ca-from", injected);
        assertThat(INSTALL.one(ValidatingWebhookConfiguration.class).getMetadata().getAnnotations())
                .containsEntry("cert-manager.io/inject-ca-from", injected);
        Map<String, Object> issuerRef = cast(spec.get("issuerRef"));
        assertThat(INSTALL.named("Issuer", (String) issuerRef.get("name"))).isNotNull();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object o) {
        return (Map<String, Object>) o;
    }

    @Test
    void every_request_a_rule_needs_is_sent_to_the_right_webhook() {
        List<Hook> hooks = hooks(INSTALL);
        for (var rule : StandardRules.DEFAULT.rules()) {
            for (Coverage need : rule.coverage()) {
                assertThat(hooks).as(rule.name() + " needs " + need).anySatisfy(h -> {
                    assertThat(h.type()).isEqualTo(need.webhook());
                    assertThat(h.rules()).anySatisfy(r -> {
                        assertThat(r.getApiGroups()).containsAnyOf(need.group(), "*");
                        assertThat(r.getResources()).containsAnyOf(need.resource(), need.resource().contains("/") ? "*/*" : "*");
                        for (Operation op : need.operations()) {
                            assertThat(r.getOperations()).containsAnyOf(op.name(), "*");
                        }
                    });
                });
            }
        }
    }

    @Test
    void webhooks_never_see_kube_system_or_ha_guards_own_namespace_except_its_policy() {
        for (Hook hook : hooks(INSTALL)) {
            assertThat(hook.sideEffects()).isEqualTo("None");
            assertThat(hook.versions()).containsExactly("v1");
            assertThat(hook.timeout()).isBetween(1, 10);
            assertThat(hook.failurePolicy()).isEqualTo("Ignore");
            if (hook.name().equals("policy.ha-guard.dev")) {
                assertThat(hook.namespaceSelector().getMatchLabels()).containsExactly(Map.entry("kubernetes.io/metadata.name", NS));
                assertThat(hook.objectSelector().getMatchLabels()).containsExactly(Map.entry("haguard.dev/policy", "true"));
                continue;
            }
            LabelSelectorRequirement notIn = hook.namespaceSelector().getMatchExpressions().get(0);
            assertThat(notIn.getKey()).isEqualTo("kubernetes.io/metadata.name");
            assertThat(notIn.getOperator()).isEqualTo("NotIn");
            assertThat(notIn.getValues()).contains("kube-system", NS);
        }
        assertThat(INSTALL.one(MutatingWebhookConfiguration.class).getWebhooks())
                .allSatisfy(w -> assertThat(w.getReinvocationPolicy()).isEqualTo("IfNeeded"));
        ConfigMap policy = INSTALL.one(ConfigMap.class);
        assertThat(policy.getMetadata().getName()).isEqualTo("ha-guard-policies");
        assertThat(policy.getMetadata().getLabels()).containsEntry("haguard.dev/policy", "true");
    }

    @Test
    void rbac_grants_no_more_than_its_configmap_and_reading_what_the_cluster_view_caches() {
        Role role = INSTALL.one(Role.class);
        assertThat(role.getMetadata().getNamespace()).isEqualTo(NS);
        assertThat(rules(role.getRules())).containsExactlyInAnyOrder("/configmaps:get,list,watch",
                "coordination.k8s.io/leases:get,create,update,patch");
        assertThat(rules(INSTALL.one(ClusterRole.class).getRules()))
                .containsExactlyInAnyOrder("/namespaces:list,watch", "autoscaling/horizontalpodautoscalers:list,watch",
                        "/nodes:list,watch", "policy/poddisruptionbudgets:list,watch", "apps/deployments:list,watch",
                        "apps/statefulsets:list,watch", "/persistentvolumeclaims:list,watch",
                        "velero.io/schedules:list,watch",
                        // the background scan's informers (leader only) and its reports
                        "/pods:list,watch", "/persistentvolumes:list,watch", "/replicationcontrollers:list,watch", "/services:list,watch",
                        "apps/replicasets:list,watch", "apps/daemonsets:list,watch", "batch/jobs:list,watch",
                        "batch/cronjobs:list,watch", "velero.io/backups:list,watch",
                        "velero.io/backupstoragelocations:list,watch",
                        "wgpolicyk8s.io/policyreports:get,list,create,update,delete",
                        "wgpolicyk8s.io/clusterpolicyreports:get,list,create,update,delete");
        ServiceAccount sa = INSTALL.one(ServiceAccount.class);
        RoleBinding rb = INSTALL.one(RoleBinding.class);
        ClusterRoleBinding crb = INSTALL.one(ClusterRoleBinding.class);
        assertThat(rb.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
        assertThat(crb.getRoleRef().getName()).isEqualTo(INSTALL.one(ClusterRole.class).getMetadata().getName());
        for (var subjects : List.of(rb.getSubjects(), crb.getSubjects())) {
            assertThat(subjects).singleElement().satisfies(s -> {
                assertThat(s.getKind()).isEqualTo("ServiceAccount");
                assertThat(s.getName()).isEqualTo(sa.getMetadata().getName());
                assertThat(s.getNamespace()).isEqualTo(NS);
            });
        }
        assertThat(pod().getServiceAccountName()).isEqualTo(sa.getMetadata().getName());
    }

    /** A kustomization in target/deploy-test/NAME: the install, with these components of deploy/components. */
    private static Path withComponents(String name, String... components) throws java.io.IOException {
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

    private static List<String> rules(List<PolicyRule> rules) {
        return rules.stream().flatMap(r -> r.getResources().stream().map(res -> String.join(",", r.getApiGroups()) + "/"
                + res + ":" + String.join(",", r.getVerbs()))).toList();
    }

    @Test
    void ha_guard_runs_as_it_preaches() {
        Deployment d = INSTALL.one(Deployment.class);
        assertThat(d.getSpec().getReplicas()).isEqualTo(3);
        assertThat(pod().getPriorityClassName()).isEqualTo("system-cluster-critical");
        assertThat(pod().getTopologySpreadConstraints()).extracting(c -> c.getTopologyKey())
                .containsExactlyInAnyOrder("kubernetes.io/hostname", "topology.kubernetes.io/zone");
        PodDisruptionBudget pdb = INSTALL.one(PodDisruptionBudget.class);
        assertThat(pdb.getSpec().getSelector().getMatchLabels().entrySet())
                .isSubsetOf(d.getSpec().getTemplate().getMetadata().getLabels().entrySet());
        assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(container().getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
        assertThat(container().getReadinessProbe().getHttpGet().getPort().getIntVal()).isEqualTo(9000);
        assertThat(container().getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
        assertThat(container().getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(container().getResources().getLimits()).containsKey("memory");
        assertThat(pod().getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(container().getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(container().getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        // quarkus.shutdown.delay (5s) + quarkus.shutdown.timeout (20s) must fit in the grace period.
        assertThat(pod().getTerminationGracePeriodSeconds()).isGreaterThanOrEqualTo(25L + 1);
        assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isZero();
    }

    @Test
    void the_policy_configmap_is_the_packaged_default() throws Exception {
        assertThat(INSTALL.one(ConfigMap.class).getData().get("policy.yaml"))
                .isEqualTo(Files.readString(Path.of("policies/default.yaml")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"eastus2", "centralus"})
    void a_region_overlay_sets_its_policy_and_labels(String region) throws Exception {
        Rendered overlay = Rendered.of("deploy/overlays/" + region);

        assertThat(overlay.one(ConfigMap.class).getData().get("policy.yaml"))
                .isEqualTo(Files.readString(Path.of("policies/region-" + region + ".yaml")));
        assertThat(overlay.objects()).allSatisfy(o -> assertThat(o.getMetadata().getLabels())
                .containsEntry("topology.kubernetes.io/region", region));
        assertThat(overlay.objects()).hasSameSizeAs(INSTALL.objects());
    }

    @Test
    void without_cert_manager_nothing_refers_to_it() {
        Rendered plain = Rendered.of("deploy/no-cert-manager");

        assertThat(plain.objects()).noneMatch(o -> o.getApiVersion().startsWith("cert-manager.io"));
        assertThat(plain.one(ValidatingWebhookConfiguration.class).getMetadata().getAnnotations()).isNullOrEmpty();
        assertThat(plain.objects()).hasSize(INSTALL.objects().size() - 4);
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

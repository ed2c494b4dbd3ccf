package dev.haguard.deploy;

import static dev.haguard.deploy.Install.hooks;
import static dev.haguard.deploy.Install.rules;
import static dev.haguard.deploy.Install.withComponents;
import dev.haguard.deploy.Install.Hook;
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

    private static final Rendered INSTALL = Install.INSTALL;
    private static final String NS = Install.NS;

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
        assertThat(Install.unsent(StandardRules.DEFAULT, hooks(INSTALL))).isEmpty();
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
        // Reading: what each rule declares it asks at admission and what a scan lists; writing: its reports only.
        Set<String> expected = new java.util.TreeSet<>(Install.reading(StandardRules.DEFAULT));
        expected.addAll(Set.of("wgpolicyk8s.io/policyreports:get,list,create,update,delete",
                "wgpolicyk8s.io/clusterpolicyreports:get,list,create,update,delete"));
        assertThat(rules(INSTALL.one(ClusterRole.class).getRules())).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(expected).as("the rules' declarations").contains("/namespaces:list,watch", "/nodes:list,watch",
                "apps/deployments:list,watch", "velero.io/schedules:list,watch", "/services:list,watch");
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

}

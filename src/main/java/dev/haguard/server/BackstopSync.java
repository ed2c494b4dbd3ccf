package dev.haguard.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haguard.cel.Autoscaled;
import dev.haguard.backstop.Backstop;
import dev.haguard.json.Json;
import dev.haguard.json.Sha256;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Keeps the backstop's ValidatingAdmissionPolicies and bindings in the cluster in step with the policy in force: what
 * {@code ha-guard export vap} prints, created or replaced where it changed, and those labelled
 * {@code haguard.dev/backstop=true} that the policy no longer asks for deleted (bindings before their policies). Only
 * the replica that holds the Lease calls it. A cluster that does not serve admissionregistration.k8s.io/v1
 * ValidatingAdmissionPolicies (before Kubernetes 1.30) is said once in the log and left alone.
 */
final class BackstopSync {

    private static final Logger LOG = Logger.getLogger(BackstopSync.class);
    static final String LABEL = Backstop.LABEL;
    static final ResourceDefinitionContext POLICIES = context("ValidatingAdmissionPolicy", "validatingadmissionpolicies");
    static final ResourceDefinitionContext BINDINGS = context("ValidatingAdmissionPolicyBinding",
            "validatingadmissionpolicybindings");

    private final KubernetesClient client;
    /** kind/name to the digest of what was last written; "adopted" for what a previous leader left. */
    private final Map<String, String> written = new HashMap<>();
    private boolean adopted;
    private boolean saidMissing;

    BackstopSync(KubernetesClient client) {
        this.client = client;
    }

    private static ResourceDefinitionContext context(String kind, String plural) {
        return new ResourceDefinitionContext.Builder().withGroup("admissionregistration.k8s.io").withVersion("v1")
                .withKind(kind).withPlural(plural).withNamespaced(false).build();
    }

    /**
     * Brings the cluster in step with {@code export} and its parameter {@code autoscaled} (written first, so that no
     * binding is without it); how many objects were written and deleted.
     */
    int[] sync(ObjectNode autoscaled, Backstop.Export export) {
        try {
            if (!adopted) {
                for (var type : List.of(POLICIES, BINDINGS)) {
                    client.genericKubernetesResources(type).withLabel(LABEL, "true").list().getItems()
                            .forEach(o -> written.put(type.getKind() + "/" + o.getMetadata().getName(), "adopted"));
                }
                adopted = true;
            }
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                if (!saidMissing) {
                    LOG.warn("haguard.backstop.enabled, but this cluster serves no admissionregistration.k8s.io/v1 "
                            + "ValidatingAdmissionPolicy (Kubernetes 1.30 or later does): no backstop");
                    saidMissing = true;
                }
                return new int[] {0, 0};
            }
            throw e;
        }
        Map<String, ObjectNode> wanted = new LinkedHashMap<>();
        wanted.put("ConfigMap/" + Autoscaled.NAME, autoscaled);
        export.objects().forEach(o -> wanted.put(o.path("kind").asText() + "/" + o.path("metadata").path("name").asText(),
                o));
        int changed = 0;
        // Policies before their bindings: a binding to a policy that does not exist yet matches nothing. The parameter
        // before both: that is the order in which wanted holds them.
        for (var e : wanted.entrySet().stream().sorted(Map.Entry.comparingByKey((a, b) -> Boolean.compare(
                a.contains("Binding/"), b.contains("Binding/")))).toList()) {
            String digest = Sha256.hex(e.getValue().toString());
            if (digest.equals(written.get(e.getKey()))) {
                continue;
            }
            GenericKubernetesResource object = Json.MAPPER.convertValue(e.getValue(), GenericKubernetesResource.class);
            (e.getKey().startsWith("ConfigMap/") ? client.genericKubernetesResources("v1", "ConfigMap")
                    .inNamespace(object.getMetadata().getNamespace()) : client.genericKubernetesResources(
                            e.getKey().contains("Binding/") ? BINDINGS : POLICIES)).resource(object)
                    .createOr(NonDeletingOperation::update);
            written.put(e.getKey(), digest);
            changed++;
        }
        int deleted = 0;
        for (String key : written.keySet().stream().filter(k -> !wanted.containsKey(k))
                .sorted((a, b) -> Boolean.compare(b.contains("Binding/"), a.contains("Binding/"))).toList()) {
            String name = key.substring(key.indexOf('/') + 1);
            client.genericKubernetesResources(key.contains("Binding/") ? BINDINGS : POLICIES).withName(name).delete();
            written.remove(key);
            deleted++;
        }
        if (changed + deleted > 0) {
            LOG.infof("backstop: %d object(s) written (policies, bindings, the HPA parameter), %d deleted, %d in force",
                    changed, deleted, wanted.size());
        }
        return new int[] {changed, deleted};
    }

    /** A new leader adopts what it finds. */
    void reset() {
        written.clear();
        adopted = false;
    }
}

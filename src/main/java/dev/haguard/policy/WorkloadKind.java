package dev.haguard.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haguard.json.Json;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A workload kind from outside Kubernetes' own API groups (an Argo Rollout, an OpenKruise CloneSet) that the policy
 * names so the workload rules judge it: where its replica count and its pod template sit.
 *
 * @param apiVersion group/version, e.g. argoproj.io/v1alpha1; the rules match the group and the resource
 * @param kind e.g. Rollout
 * @param resource its plural resource name as the API server sends it (default: the kind in lower case plus s)
 * @param replicas dotted path of the replica count (default spec.replicas); omitted in an object means 1
 * @param template dotted path of the pod template (default spec.template)
 */
public record WorkloadKind(String apiVersion, String kind, String resource, String replicas, String template) {

    private static final Set<String> BUILT_IN_GROUPS = Set.of("", "apps", "batch", "autoscaling", "policy",
            "extensions");
    private static final String PATH = "[A-Za-z][A-Za-z0-9]*(\\.[A-Za-z][A-Za-z0-9]*)*";

    public WorkloadKind {
        PolicyException.require(apiVersion != null && apiVersion.matches("[a-z0-9.-]+/[a-z0-9]+"), "apiVersion",
                "is required, as group/version, e.g. argoproj.io/v1alpha1");
        PolicyException.require(!BUILT_IN_GROUPS.contains(apiVersion.substring(0, apiVersion.indexOf('/'))),
                "apiVersion", "names a Kubernetes API group whose kinds the rules already know");
        PolicyException.require(kind != null && kind.matches("[A-Z][A-Za-z0-9]*"), "kind", "is required, e.g. Rollout");
        resource = resource == null ? kind.toLowerCase(Locale.ROOT) + "s" : resource;
        PolicyException.require(resource.matches("[a-z0-9]+"), "resource", "must be a plural resource name, e.g. rollouts");
        replicas = replicas == null ? "spec.replicas" : replicas;
        template = template == null ? "spec.template" : template;
        PolicyException.require(replicas.matches(PATH), "replicas", "must be a dotted field path, e.g. spec.replicas");
        PolicyException.require(template.matches(PATH), "template", "must be a dotted field path, e.g. spec.template");
    }

    public String group() {
        return apiVersion.substring(0, apiVersion.indexOf('/'));
    }

    /** The replica count the object asks for; 1 where it writes none, as for the built-in kinds. */
    public int replicasOf(HasMetadata object) {
        return at(object, replicas) instanceof Number n && !(n instanceof Double || n instanceof Float) ? n.intValue() : 1;
    }

    /** The pod template, or empty when the object has none (a Rollout with a workloadRef instead). */
    public Optional<PodTemplateSpec> templateOf(HasMetadata object) {
        return at(object, template) instanceof Map<?, ?> m
                ? Optional.of(Json.MAPPER.convertValue(m, PodTemplateSpec.class)) : Optional.empty();
    }

    /**
     * The value at a dotted path. The API server's objects of such kinds arrive as GenericKubernetesResource, whose
     * fields are read where they are instead of serialising the whole object for each look-up.
     */
    private static Object at(HasMetadata object, String path) {
        Object[] parts = path.split("\\.");
        if (object instanceof GenericKubernetesResource generic) {
            return GenericKubernetesResource.get(generic.getAdditionalProperties(), parts);
        }
        JsonNode node = Json.tree(object);
        for (Object part : parts) {
            node = node.path((String) part);
        }
        return node.isMissingNode() ? null : Json.MAPPER.convertValue(node, Object.class);
    }
}

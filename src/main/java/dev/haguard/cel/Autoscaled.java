package dev.haguard.cel;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haguard.json.Json;
import dev.haguard.policy.WorkloadKind;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What the backstop knows of HorizontalPodAutoscalers, which a ValidatingAdmissionPolicy cannot look up itself: a
 * ConfigMap {@value #NAME} in ha-guard's namespace, its params. Its keys are the workloads HPAs scale, as
 * {@code namespace_resource_name}; its values the names of the HPAs that scale each (sorted, comma-separated). The
 * leader keeps it from its HPA cache. With it the backstop judges as the engine does: minReplicas leaves such a workload
 * to its HPA, readinessProbes judges it whatever its count, and an HPA hears of another on the same target.
 */
public final class Autoscaled {

    public static final String NAME = "ha-guard-autoscaled";

    /** What an HPA's scaleTargetRef kind is called in a request's resource, where the engine defers to the HPA. */
    private static final Map<String, String> RESOURCES = Map.of("Deployment", "deployments", "StatefulSet",
            "statefulsets", "ReplicationController", "replicationcontrollers");

    private Autoscaled() {
    }

    /**
     * The data key for a workload an HPA scales: '_' occurs in no namespace, resource or object name, and ConfigMap
     * keys allow it. Empty for a kind the engine does not look up HPAs for (neither built in nor in {@code kinds}).
     */
    public static Optional<String> key(String namespace, String kind, String name, List<WorkloadKind> kinds) {
        return Optional.ofNullable(resources(kinds).get(kind)).map(r -> namespace + "_" + r + "_" + name);
    }

    /** Each kind whose HPAs the engine looks up, to its resource: the built-in ones, then the policy's. */
    private static Map<String, String> resources(List<WorkloadKind> kinds) {
        Map<String, String> out = new TreeMap<>(RESOURCES);
        kinds.forEach(k -> out.putIfAbsent(k.kind(), k.resource()));
        return out;
    }

    /**
     * The ConfigMap, from "namespace/Kind/name" of each scaled workload to its HPAs' names (comma-separated); the
     * policy's workload kinds say what their kinds' resources are called.
     */
    public static ObjectNode configMap(String namespace, Map<String, String> scaled, List<WorkloadKind> kinds) {
        ObjectNode cm = Json.MAPPER.createObjectNode().put("apiVersion", "v1").put("kind", "ConfigMap");
        ObjectNode meta = cm.putObject("metadata").put("name", NAME).put("namespace", namespace);
        meta.putObject("labels").put("app.kubernetes.io/managed-by", "ha-guard").put(ValidatingPolicies.LABEL, "true");
        ObjectNode data = cm.putObject("data");
        new TreeMap<>(scaled).forEach((workload, hpa) -> {
            String[] part = workload.split("/", 3);
            key(part[0], part[1], part[2], kinds).ifPresent(k -> data.put(k, hpa));
        });
        return cm;
    }

    private static final String REQUEST_KEY = "(" + Cel.NAMESPACE + " + '_' + request.resource.resource + '_' + "
            + "(has(request.name) ? request.name : ''))";

    /** True where the parameter names the workload of this request (main resource or scale). */
    public static String holdsRequest() {
        return "params != null && has(params.data) && " + REQUEST_KEY + " in params.data";
    }

    /** The name of the HPA that scales the workload of this request (the first, sorted), where {@link #holdsRequest()}. */
    public static String hpa() {
        return "params.data[" + REQUEST_KEY + "].split(',')[0]";
    }

    /**
     * For an HPA request: the other HPAs the parameter names for its target (the engine's "rival"), as a list; kinds
     * outside the built-in ones and {@code kinds} have no key, as for the engine no HPA cache entry.
     */
    public static String rivals(List<WorkloadKind> kinds) {
        String map = resources(kinds).entrySet().stream().map(e -> Cel.lit(e.getKey()) + ": " + Cel.lit(e.getValue()))
                .collect(Collectors.joining(", ", "{", "}"));
        String kind = "object.spec.scaleTargetRef.kind";
        String key = "(" + Cel.NAMESPACE + " + '_' + (" + kind + " in " + map + " ? " + map + "[" + kind + "] : '') + '_' + "
                + "object.spec.scaleTargetRef.name)";
        return Cel.present("object", "spec.scaleTargetRef.kind") + " && has(object.spec.scaleTargetRef.name) && params "
                + "!= null && has(params.data) && " + key + " in params.data ? params.data[" + key + "].split(',')"
                + ".filter(n, n != object.metadata.name) : []";
    }
}

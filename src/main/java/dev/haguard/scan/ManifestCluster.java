package dev.haguard.scan;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haguard.engine.ClusterView;
import dev.haguard.json.Json;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster as the checked manifests describe it: their Namespaces' labels, their autoscalers' targets and ranges,
 * their PodDisruptionBudgets and their Deployments and StatefulSets. The manifests are the whole world here: a
 * workload checked without its budget has none.
 */
final class ManifestCluster implements ClusterView {

    private final Map<String, Map<String, String>> namespaceLabels = new HashMap<>();
    private final Map<String, String> autoscalers = new HashMap<>();
    private final Map<String, Range> ranges = new HashMap<>();
    private final Map<String, List<PodDisruptionBudget>> budgets = new HashMap<>();
    private final Map<String, List<Workload>> workloads = new HashMap<>();

    private final String defaultNamespace;
    /** What rules derived from this view ({@link #derived}); forgotten when an object is added. */
    private final Map<Class<?>, Object> derived = new HashMap<>();

    ManifestCluster(String defaultNamespace) {
        this.defaultNamespace = defaultNamespace;
    }

    /** Learns what this object tells of the cluster: keeps a summary, never the object. */
    void add(Document doc) {
        derived.clear();
        JsonNode o = doc.content();
        String kind = o.path("kind").asText();
        String ns = o.path("metadata").path("namespace").asText(defaultNamespace);
        if (kind.equals("Namespace")) {
            Map<String, String> labels = new HashMap<>();
            o.path("metadata").path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
            namespaceLabels.put(o.path("metadata").path("name").asText(), labels);
        } else if (kind.equals("HorizontalPodAutoscaler")) {
            JsonNode target = o.path("spec").path("scaleTargetRef");
            String key = key(ns, target.path("kind").asText(), target.path("name").asText());
            autoscalers.putIfAbsent(key, o.path("metadata").path("name").asText()); // the second one is warned
            ranges.putIfAbsent(key, new Range(o.path("spec").path("minReplicas").asInt(1), o.path("spec").path("maxReplicas")
                    .asInt(1)));
        } else if (kind.equals("PodDisruptionBudget") && o.path("apiVersion").asText().startsWith("policy/")) {
            try {
                budgets.computeIfAbsent(ns, n -> new ArrayList<>()).add(Json.KUBE.convertValue(o,
                        PodDisruptionBudget.class));
            } catch (IllegalArgumentException e) {
                // a budget that does not read is reported when it is checked itself
            }
        } else if (kind.equals("Deployment") || kind.equals("StatefulSet")) {
            Map<String, String> labels = new HashMap<>();
            o.path("spec").path("template").path("metadata").path("labels").fields()
                    .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
            workloads.computeIfAbsent(ns, n -> new ArrayList<>()).add(new Workload(kind,
                    o.path("metadata").path("name").asText(), o.path("spec").path("replicas").asInt(1), labels));
        }
    }

    private static String key(String namespace, String kind, String name) {
        return namespace + "/" + kind + "/" + name;
    }

    @Override
    public <T> T derived(Class<T> type, java.util.function.Function<ClusterView, T> make) {
        Object made = derived.get(type);
        if (made == null) {
            made = make.apply(this);
            derived.put(type, made);
        }
        return type.cast(made);
    }

    @Override
    public Map<String, String> namespaceLabels(String namespace) {
        return namespaceLabels.getOrDefault(namespace, Map.of());
    }

    @Override
    public Optional<String> autoscaler(String namespace, String kind, String name) {
        return Optional.ofNullable(autoscalers.get(key(namespace, kind, name)));
    }

    @Override
    public Optional<Range> autoscalerRange(String namespace, String kind, String name) {
        return Optional.ofNullable(ranges.get(key(namespace, kind, name)));
    }

    @Override
    public Optional<List<PodDisruptionBudget>> disruptionBudgets(String namespace) {
        return Optional.of(budgets.getOrDefault(namespace, List.of()));
    }

    @Override
    public Optional<List<Workload>> workloads(String namespace) {
        return Optional.of(workloads.getOrDefault(namespace, List.of()));
    }

    /**
     * This view for a recorded AdmissionReview: the budgets and workloads of the cluster it was recorded in are not
     * in the input, so they are unknown, as they are to a webhook without its caches, rather than none.
     */
    ClusterView withoutBudgets() {
        ManifestCluster all = this;
        return new ClusterView() {
            @Override
            public Map<String, String> namespaceLabels(String namespace) {
                return all.namespaceLabels(namespace);
            }

            @Override
            public Optional<String> autoscaler(String namespace, String kind, String name) {
                return all.autoscaler(namespace, kind, name);
            }

            @Override
            public Optional<Range> autoscalerRange(String namespace, String kind, String name) {
                return all.autoscalerRange(namespace, kind, name);
            }
        };
    }
}

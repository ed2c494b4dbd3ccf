package dev.haguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haguard.engine.ClusterView;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The cluster as the checked manifests describe it: their Namespaces' labels and their autoscalers' targets. */
final class ManifestCluster implements ClusterView {

    private final Map<String, Map<String, String>> namespaceLabels = new HashMap<>();
    private final Map<String, String> autoscalers = new HashMap<>();

    ManifestCluster(List<Manifests.Document> docs, String defaultNamespace) {
        for (Manifests.Document doc : docs) {
            JsonNode o = doc.content();
            String kind = o.path("kind").asText();
            if (kind.equals("Namespace")) {
                Map<String, String> labels = new HashMap<>();
                o.path("metadata").path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
                namespaceLabels.put(o.path("metadata").path("name").asText(), labels);
            } else if (kind.equals("HorizontalPodAutoscaler")) {
                JsonNode target = o.path("spec").path("scaleTargetRef");
                String ns = o.path("metadata").path("namespace").asText(defaultNamespace);
                autoscalers.put(key(ns, target.path("kind").asText(), target.path("name").asText()),
                        o.path("metadata").path("name").asText());
            }
        }
    }

    private static String key(String namespace, String kind, String name) {
        return namespace + "/" + kind + "/" + name;
    }

    @Override
    public Map<String, String> namespaceLabels(String namespace) {
        return namespaceLabels.getOrDefault(namespace, Map.of());
    }

    @Override
    public Optional<String> autoscaler(String namespace, String kind, String name) {
        return Optional.ofNullable(autoscalers.get(key(namespace, kind, name)));
    }
}

package dev.haguard.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.haguard.json.Json;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What {@code kubectl kustomize DIR} renders, as fabric8 model objects (cert-manager kinds as generic ones). */
public record Rendered(List<HasMetadata> objects) {

    static Rendered of(String dir) {
        try {
            Process p = new ProcessBuilder("kubectl", "kustomize", dir).redirectErrorStream(false).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError("kubectl kustomize " + dir + " failed: " + err);
            }
            List<HasMetadata> objects = new ArrayList<>();
            try (MappingIterator<JsonNode> docs = new YAMLMapper().readerFor(JsonNode.class).readValues(out)) {
                while (docs.hasNext()) {
                    JsonNode doc = docs.next();
                    if (doc != null && doc.isObject()) {
                        objects.add((HasMetadata) Json.KUBE.convertValue(doc, KubernetesResource.class));
                    }
                }
            }
            return new Rendered(objects);
        } catch (IOException e) {
            throw new AssertionError("kubectl is needed to render deploy/ (kubectl kustomize): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T one(Class<T> type) {
        List<T> found = all(type);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + type.getSimpleName() + ", rendered " + found.size());
        }
        return found.get(0);
    }

    List<GenericKubernetesResource> kind(String kind) {
        return all(GenericKubernetesResource.class).stream().filter(g -> kind.equals(g.getKind())).toList();
    }

    GenericKubernetesResource named(String kind, String name) {
        return kind(kind).stream().filter(g -> name.equals(g.getMetadata().getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }
}

package dev.haguard.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.module.blackbird.BlackbirdModule;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * The one fabric8-configured mapper for reviews and Kubernetes objects. Plain Java so that the
 * server, the offline tools and tests share it without CDI. Duplicate keys in a JSON object are errors:
 * two readers could otherwise disagree about what a request says. Blackbird reads and writes the model's properties
 * through generated lambdas instead of reflection (Method.invoke was an eighth of a review's CPU).
 */
public final class Json {

    /**
     * System property: {@code false}, set before this class loads, reads and writes the model by reflection instead.
     * The command-line tools read a few objects once, where generating the accessors costs more than it saves
     * (0.2 s of a one-file check's 1.05 s on a 2-core machine).
     */
    public static final String GENERATED_ACCESSORS = "haguard.json.generated-accessors";

    public static final ObjectMapper MAPPER = mapper(!"false".equals(System.getProperty(GENERATED_ACCESSORS)));
    public static final KubernetesSerialization KUBE = new KubernetesSerialization(MAPPER, true);

    private Json() {
    }

    private static ObjectMapper mapper(boolean generatedAccessors) {
        ObjectMapper mapper = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        return generatedAccessors ? mapper.registerModule(new BlackbirdModule()) : mapper;
    }

    public static JsonNode tree(Object value) {
        return KUBE.convertValue(value, JsonNode.class);
    }

    /** A copy of a Kubernetes object of a known class from its JSON tree, without looking its kind up again. */
    public static <T extends HasMetadata> T typed(JsonNode tree, Class<T> type) {
        try {
            return MAPPER.treeToValue(tree, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Where a mapping error happened, as a person writes it: {@code request.object.spec.containers[0].image}. */
    public static String path(JsonMappingException e) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                out.append(out.isEmpty() ? "" : ".").append(r.getFieldName());
            } else {
                out.append('[').append(r.getIndex()).append(']');
            }
        }
        return out.toString();
    }
}

package dev.haguard.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haguard.json.Yaml.Position;
import dev.haguard.json.Yaml.Unreadable;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/** SafeConstructor only for scalars, so that they resolve as YAML 1.1 says; collections are built here. */
final class YamlConverter extends SafeConstructor {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    YamlConverter(LoaderOptions options) {
        super(options);
    }

    /** {@code path} and {@code positions} null: convert without recording where anything was written. */
    JsonNode convert(Node node, String path, Map<String, Position> positions) throws Unreadable {
        if (positions != null) {
            positions.putIfAbsent(path, position(node));
        }
        if (node instanceof MappingNode m) {
            return mapping(m, path, positions);
        }
        if (node instanceof SequenceNode s) {
            ArrayNode array = NODES.arrayNode();
            for (Node item : s.getValue()) {
                array.add(convert(item, positions == null ? null : path + "[" + array.size() + "]", positions));
            }
            return array;
        }
        return scalar((ScalarNode) node);
    }

    private ObjectNode mapping(MappingNode m, String path, Map<String, Position> positions) throws Unreadable {
        ObjectNode object = NODES.objectNode();
        List<Node> merged = new ArrayList<>();
        for (NodeTuple entry : m.getValue()) {
            if (entry.getKeyNode().getTag().equals(Tag.MERGE)) {
                Node value = entry.getValueNode();
                merged.addAll(value instanceof SequenceNode s ? s.getValue() : List.of(value));
                continue;
            }
            if (!(entry.getKeyNode() instanceof ScalarNode keyNode)) {
                throw new Unreadable(position(entry.getKeyNode()), "a mapping key must be a plain value");
            }
            String key = keyNode.getValue();
            if (object.has(key)) {
                throw new Unreadable(position(keyNode), "duplicate key \"" + key + "\" (first at line "
                        + firstLine(m, key) + "): a key may appear once in a mapping");
            }
            String child = positions == null ? null : path.isEmpty() ? key : path + "." + key;
            if (positions != null) {
                positions.put(child, position(keyNode));
            }
            object.set(key, convert(entry.getValueNode(), child, positions));
        }
        // Keys written in the mapping win over merged ones; of the merged mappings, the first wins.
        for (Node source : merged) {
            if (!(source instanceof MappingNode)) {
                throw new Unreadable(position(source), "a merge key (<<) takes a mapping or a list of mappings");
            }
            Map<String, Position> mergedPositions = positions == null ? null : new HashMap<>();
            mapping((MappingNode) source, path, mergedPositions).properties().forEach(e -> {
                if (!object.has(e.getKey())) {
                    object.set(e.getKey(), e.getValue());
                }
            });
            if (positions != null) {
                mergedPositions.forEach(positions::putIfAbsent);
            }
        }
        return object;
    }

    private static int firstLine(MappingNode m, String key) {
        return m.getValue().stream().filter(e -> e.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key))
                .findFirst().map(e -> e.getKeyNode().getStartMark().getLine() + 1).orElse(0);
    }

    private JsonNode scalar(ScalarNode node) {
        Object value;
        try {
            // Not constructObject: it remembers every node it built until a document ends, which this converter never
            // says, so a dump's scalar nodes and their marks all stayed reachable (1.6 million at 150,000 pods).
            value = getConstructor(node).construct(node);
        } catch (YAMLException | NumberFormatException e) {
            // An application's own tag, or a number SnakeYAML's YAML 1.1 forms cannot read (PolicyFuzzTest found
            // one): kept as the text written, which a typed field then refuses with its path.
            return NODES.textNode(node.getValue());
        }
        if (value == null) {
            return NODES.nullNode();
        }
        if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (value instanceof Integer i) {
            return NODES.numberNode(i);
        }
        if (value instanceof Long l) {
            return NODES.numberNode(l);
        }
        if (value instanceof BigInteger b) {
            return NODES.numberNode(b);
        }
        if (value instanceof Double d) {
            return NODES.numberNode(d);
        }
        return NODES.textNode(value instanceof String s ? s : node.getValue()); // timestamps, binary: as written
    }

    private static Position position(Node node) {
        Mark mark = node.getStartMark();
        return new Position(mark.getLine() + 1, mark.getColumn() + 1);
    }
}

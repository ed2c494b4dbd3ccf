package dev.haguard.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.StringReader;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads YAML the way kubectl does (sigs.k8s.io/yaml over go-yaml): anchors, aliases and {@code <<} merge keys are
 * resolved, plain scalars follow YAML 1.1 ({@code yes} is true, {@code 010} is 8), and a tab that only trails a line
 * is whitespace. Like kubectl's strict decoding it refuses a key given twice in one mapping, naming both lines, and a
 * tab used for indentation, naming its line and column. Each document keeps where its keys were written, so that
 * errors about a value can point at the line a person edits.
 */
public final class Yaml {

    private static final int MAX_CODE_POINTS = 64 * 1024 * 1024; // CRD bundles exceed SnakeYAML's 3 MB default

    /** A line and column, both from 1. */
    public record Position(int line, int column) {
        @Override
        public String toString() {
            return "line " + line + " column " + column;
        }
    }

    /** One YAML document: its content, the line it starts at, and where each key path was written. */
    public record Document(int line, JsonNode content, Map<String, Position> positions) {
        /** Where {@code path} ({@code spec.template.spec.containers[0].image}) or its nearest written parent sits. */
        public Position position(String path) {
            for (String p = path; ; p = parent(p)) {
                Position at = positions.get(p);
                if (at != null || p.isEmpty()) {
                    return at == null ? new Position(line, 1) : at;
                }
            }
        }

        private static String parent(String path) {
            int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
            return cut < 0 ? "" : path.substring(0, cut);
        }
    }

    /** YAML that kubectl would not read either; {@link #getMessage()} starts with the line and column. */
    public static final class Unreadable extends Exception {
        private final Position position;
        private final String reason;

        Unreadable(Position position, String reason) {
            super(position + ": " + reason);
            this.position = position;
            this.reason = reason;
        }

        public Position position() {
            return position;
        }

        public String reason() {
            return reason;
        }
    }

    private Yaml() {
    }

    /** Every non-empty document of {@code text}, in order. */
    public static List<Document> readAll(String text) throws Unreadable {
        String input = text;
        for (int attempt = 0; ; attempt++) {
            try {
                return compose(input);
            } catch (MarkedYAMLException e) {
                Mark mark = e.getProblemMark();
                Position at = mark == null ? new Position(1, 1) : new Position(mark.getLine() + 1, mark.getColumn() + 1);
                boolean tab = e.getProblem() != null && e.getProblem().contains("\\t(TAB)");
                if (tab && attempt < 10_000 && trailsOnlyWhitespace(input, mark)) {
                    input = stripLineEnd(input, mark.getLine());
                    continue;
                }
                throw new Unreadable(at, tab ? "tab character: YAML indents with spaces" : reason(e));
            } catch (YAMLException e) {
                throw new Unreadable(new Position(1, 1), e.getMessage());
            }
        }
    }

    private static List<Document> compose(String text) throws Unreadable {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_CODE_POINTS);
        Converter converter = new Converter(options);
        List<Document> docs = new ArrayList<>();
        for (Node root : new org.yaml.snakeyaml.Yaml(options).composeAll(new StringReader(text))) {
            if (root == null || root instanceof ScalarNode s && s.getTag().equals(Tag.NULL)) {
                continue;
            }
            Map<String, Position> positions = new HashMap<>();
            JsonNode content = converter.convert(root, "", positions);
            docs.add(new Document(root.getStartMark().getLine() + 1, content, Map.copyOf(positions)));
        }
        return docs;
    }

    private static String reason(MarkedYAMLException e) {
        String problem = "not valid YAML: " + (e.getProblem() == null ? "cannot be read" : e.getProblem());
        if (e.getContext() == null) {
            return problem;
        }
        Mark context = e.getContextMark();
        return problem + " (" + e.getContext() + (context == null ? "" : " that starts at line " + (context.getLine() + 1))
                + ")";
    }

    /** go-yaml reads {@code metadata:<TAB>}; SnakeYAML stops at the tab. */
    private static boolean trailsOnlyWhitespace(String text, Mark mark) {
        String line = text.lines().skip(mark.getLine()).findFirst().orElse("");
        return mark.getColumn() <= line.length() && line.substring(mark.getColumn()).isBlank();
    }

    private static String stripLineEnd(String text, int lineIndex) {
        String[] lines = text.split("\n", -1);
        lines[lineIndex] = lines[lineIndex].replaceAll("[ \\t\\r]+$", lines[lineIndex].endsWith("\r") ? "\r" : "");
        return String.join("\n", lines);
    }

    /** SafeConstructor only for scalars, so that they resolve as YAML 1.1 says; collections are built here. */
    private static final class Converter extends SafeConstructor {

        private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

        Converter(LoaderOptions options) {
            super(options);
        }

        JsonNode convert(Node node, String path, Map<String, Position> positions) throws Unreadable {
            positions.putIfAbsent(path, position(node));
            if (node instanceof MappingNode m) {
                return mapping(m, path, positions);
            }
            if (node instanceof SequenceNode s) {
                ArrayNode array = NODES.arrayNode();
                for (Node item : s.getValue()) {
                    array.add(convert(item, path + "[" + array.size() + "]", positions));
                }
                return array;
            }
            return scalar((ScalarNode) node);
        }

        private ObjectNode mapping(MappingNode m, String path, Map<String, Position> positions) throws Unreadable {
            ObjectNode object = NODES.objectNode();
            Map<String, Position> written = new HashMap<>();
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
                Position at = position(keyNode);
                Position first = written.putIfAbsent(key, at);
                if (first != null) {
                    throw new Unreadable(at, "duplicate key \"" + key + "\" (first at line " + first.line()
                            + "): a key may appear once in a mapping");
                }
                String child = path.isEmpty() ? key : path + "." + key;
                positions.put(child, at);
                object.set(key, convert(entry.getValueNode(), child, positions));
            }
            // Keys written in the mapping win over merged ones; of the merged mappings, the first wins.
            for (Node source : merged) {
                if (!(source instanceof MappingNode)) {
                    throw new Unreadable(position(source), "a merge key (<<) takes a mapping or a list of mappings");
                }
                Map<String, Position> mergedPositions = new HashMap<>();
                mapping((MappingNode) source, path, mergedPositions).properties().forEach(e -> {
                    if (!object.has(e.getKey())) {
                        object.set(e.getKey(), e.getValue());
                    }
                });
                mergedPositions.forEach(positions::putIfAbsent);
            }
            return object;
        }

        private JsonNode scalar(ScalarNode node) {
            Object value;
            try {
                value = constructObject(node);
            } catch (YAMLException e) {
                return NODES.textNode(node.getValue()); // an application's own tag: kept as the text written
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
}

package dev.haguard.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
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
    /**
     * Text from this size on is read a List item at a time ({@link ListComposer}): a cluster's dump. Its objects are
     * placed by the line each starts on, not each key's.
     */
    public static final int STREAMED = 4 * 1024 * 1024;

    /** A line and column, both from 1. */
    public record Position(int line, int column) {
        @Override
        public String toString() {
            return "line " + line + " column " + column;
        }
    }

    /**
     * One YAML document: its content, the line it starts at, and where each key path was written. Positions are
     * found when first asked for, by reading the document's text again: only errors need them, and recording every
     * path of a 10,000-pod dump up front doubled the time to read it.
     */
    public static final class Document {
        private final int line;
        private final JsonNode content;
        private final String text;
        private final int index;
        private volatile Map<String, Position> positions;

        Document(int line, JsonNode content, String text, int index) {
            this.line = line;
            this.content = content;
            this.text = text;
            this.index = index;
        }

        /** A document read a List item at a time: where the document and each of its items start. */
        static Document listed(int line, JsonNode content, Map<String, Position> positions) {
            Document doc = new Document(line, content, null, 0);
            doc.positions = positions;
            return doc;
        }

        /** An object that was never YAML (read from the API server): it has no positions. */
        public static Document unwritten(JsonNode content) {
            Document doc = new Document(0, content, null, 0);
            doc.positions = Map.of();
            return doc;
        }

        public int line() {
            return line;
        }

        public JsonNode content() {
            return content;
        }

        /** Where {@code path} ({@code spec.template.spec.containers[0].image}) or its nearest written parent sits. */
        public Position position(String path) {
            Map<String, Position> known = positions();
            for (String p = path; ; p = parent(p)) {
                Position at = known.get(p);
                if (at != null || p.isEmpty()) {
                    return at == null ? new Position(line, 1) : at;
                }
            }
        }

        private Map<String, Position> positions() {
            Map<String, Position> known = positions;
            if (known == null) {
                try {
                    known = locate(text, index);
                } catch (Unreadable e) {
                    known = Map.of(); // it read the first time; cannot happen
                }
                positions = known;
            }
            return known;
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
        return readAll(text, java.util.function.UnaryOperator.identity());
    }

    /**
     * Every non-empty document of {@code text}, in order; each item of a List (a document whose root mapping has
     * {@code items}) passed through {@code item} as soon as it is read, so that what it drops is never held for long.
     */
    public static List<Document> readAll(String text, java.util.function.UnaryOperator<JsonNode> item)
            throws Unreadable {
        String input = text;
        for (int attempt = 0; ; attempt++) {
            try {
                return input.length() >= STREAMED ? streamed(input, item) : compose(input, item);
            } catch (MarkedYAMLException e) {
                Mark mark = e.getProblemMark();
                Position at = mark == null ? new Position(1, 1) : new Position(mark.getLine() + 1, mark.getColumn() + 1);
                boolean tab = e.getProblem() != null && e.getProblem().contains("\\t(TAB)");
                int trailing = tab ? trailingTab(input, mark) : -1;
                if (trailing >= 0 && attempt < 10_000) {
                    input = stripLineEnd(input, trailing);
                    continue;
                }
                throw new Unreadable(at, tab ? "tab character: YAML indents with spaces" : reason(e));
            } catch (YAMLException e) {
                if (e.getCause() instanceof Unreadable u) {
                    throw u;
                }
                throw new Unreadable(new Position(1, 1), e.getMessage());
            }
        }
    }

    /**
     * A cluster's dump: each List's items are read one at a time, none of them a node graph for long, so no limit on
     * the text's size holds here (what is read whole stays under SnakeYAML's, raised to 64 Mi characters).
     */
    private static List<Document> streamed(String text, java.util.function.UnaryOperator<JsonNode> item)
            throws Unreadable {
        LoaderOptions options = options();
        options.setCodePointLimit(Integer.MAX_VALUE);
        YamlConverter converter = new YamlConverter(options);
        List<Document> docs = new ArrayList<>();
        ListComposer composer = new ListComposer(new org.yaml.snakeyaml.parser.ParserImpl(
                new org.yaml.snakeyaml.reader.StreamReader(new StringReader(text)), options), options, converter, item);
        while (composer.checkNode()) {
            Node root = composer.next();
            if (root == null || root instanceof ScalarNode s && s.getTag().equals(Tag.NULL)) {
                continue;
            }
            JsonNode content = converter.convert(root, null, null);
            Map<String, Position> positions = new HashMap<>();
            int line = root.getStartMark().getLine() + 1;
            positions.put("", new Position(line, root.getStartMark().getColumn() + 1));
            if (composer.items != null && content instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
                o.set("items", composer.items);
                for (int i = 0; i < composer.itemPositions.size(); i++) {
                    positions.put("items[" + i + "]", composer.itemPositions.get(i));
                }
            }
            docs.add(Document.listed(line, content, positions));
        }
        return docs;
    }

    private static List<Document> compose(String text, java.util.function.UnaryOperator<JsonNode> item)
            throws Unreadable {
        List<Document> docs = new ArrayList<>();
        YamlConverter converter = new YamlConverter(options());
        for (Node root : roots(text)) {
            JsonNode content = converter.convert(root, null, null);
            if (content.path("items") instanceof com.fasterxml.jackson.databind.node.ArrayNode items) {
                for (int i = 0; i < items.size(); i++) {
                    items.set(i, item.apply(items.get(i)));
                }
            }
            docs.add(new Document(root.getStartMark().getLine() + 1, content, text, docs.size()));
        }
        return docs;
    }

    /** Every key path of the {@code index}-th non-empty document of {@code text}, with where it was written. */
    private static Map<String, Position> locate(String text, int index) throws Unreadable {
        int n = 0;
        for (Node root : roots(text)) {
            if (n++ == index) {
                Map<String, Position> positions = new HashMap<>();
                new YamlConverter(options()).convert(root, "", positions);
                return Map.copyOf(positions);
            }
        }
        return Map.of();
    }

    private static List<Node> roots(String text) {
        List<Node> roots = new ArrayList<>();
        for (Node root : new org.yaml.snakeyaml.Yaml(options()).composeAll(new StringReader(text))) {
            if (root != null && !(root instanceof ScalarNode s && s.getTag().equals(Tag.NULL))) {
                roots.add(root);
            }
        }
        return roots;
    }

    private static LoaderOptions options() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_CODE_POINTS);
        return options;
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

    /**
     * go-yaml reads {@code metadata:<TAB>}; SnakeYAML stops at the tab. The offset of the tab, in chars; -1 when what
     * follows it up to the line's end is not only spaces and tabs (then the tab is indentation, refused).
     */
    private static int trailingTab(String text, Mark mark) {
        if (mark == null || mark.getIndex() > text.codePointCount(0, text.length())) {
            return -1;
        }
        int at = text.offsetByCodePoints(0, mark.getIndex());
        for (int i = at; i < text.length() && text.charAt(i) != '\n' && text.charAt(i) != '\r'; i++) {
            if (text.charAt(i) != ' ' && text.charAt(i) != '\t') {
                return -1;
            }
        }
        return at;
    }

    /** {@code text} without the spaces and tabs from {@code at} to the end of that line. */
    private static String stripLineEnd(String text, int at) {
        int end = at;
        while (end < text.length() && (text.charAt(end) == ' ' || text.charAt(end) == '\t')) {
            end++;
        }
        return text.substring(0, at) + text.substring(end);
    }
}

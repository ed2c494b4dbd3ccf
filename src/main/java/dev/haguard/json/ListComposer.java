package dev.haguard.json;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.haguard.json.Yaml.Position;
import dev.haguard.json.Yaml.Unreadable;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.MappingStartEvent;
import org.yaml.snakeyaml.events.SequenceStartEvent;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * SnakeYAML's composer, except that the {@code items} of a document's root mapping (a {@code kind: List}, as
 * {@code kubectl get -o yaml} prints a cluster) are converted one at a time as they are read, each item's node graph let
 * go before the next: a 150,000-pod dump never exists as one graph (about 800 MB of nodes and marks at 50,000 pods).
 * Everything else, and each item within, is composed and converted as {@link Yaml} always does: anchors and aliases
 * (with SnakeYAML's limit on aliases), merge keys, duplicate keys refused, the nesting limit, YAML 1.1 scalars.
 */
final class ListComposer extends Composer {

    private final YamlConverter converter;
    private final java.util.function.UnaryOperator<com.fasterxml.jackson.databind.JsonNode> item;
    private int depth;
    private boolean itemsNext;
    /** The last document's items, converted, and where each starts; null when its root had none. */
    ArrayNode items;
    List<Position> itemPositions;

    ListComposer(Parser parser, LoaderOptions options, YamlConverter converter,
            java.util.function.UnaryOperator<com.fasterxml.jackson.databind.JsonNode> item) {
        super(parser, new Resolver(), options);
        this.converter = converter;
        this.item = item;
    }

    /** The next document's root, with its items (if any) taken out into {@link #items}. */
    Node next() {
        items = null;
        itemPositions = null;
        depth = 0;
        return getNode();
    }

    @Override
    protected Node composeMappingNode(String anchor) {
        depth++;
        try {
            return super.composeMappingNode(anchor);
        } finally {
            depth--;
        }
    }

    @Override
    protected Node composeKeyNode(MappingNode node) {
        Node key = super.composeKeyNode(node);
        itemsNext = depth == 1 && key instanceof ScalarNode s && s.getValue().equals("items");
        return key;
    }

    @Override
    protected Node composeSequenceNode(String anchor) {
        if (!itemsNext || depth != 1 || anchor != null) {
            itemsNext = false;
            depth++;
            try {
                return super.composeSequenceNode(anchor);
            } finally {
                depth--;
            }
        }
        itemsNext = false;
        SequenceStartEvent start = (SequenceStartEvent) parser.getEvent();
        items = JsonNodeFactory.instance.arrayNode();
        itemPositions = new ArrayList<>();
        while (!parser.checkEvent(Event.ID.SequenceEnd)) {
            Event next = parser.peekEvent();
            if (!(next instanceof MappingStartEvent mapping)) {
                throw new YAMLException(new Unreadable(new Position(next.getStartMark().getLine() + 1,
                        next.getStartMark().getColumn() + 1), "an item of a List is not an object (a mapping)"));
            }
            Node node = composeMappingNode(mapping.getAnchor());
            try {
                items.add(item.apply(converter.convert(node, null, null)));
            } catch (Unreadable e) {
                throw new YAMLException(e);
            }
            itemPositions.add(new Position(node.getStartMark().getLine() + 1, node.getStartMark().getColumn() + 1));
        }
        Event end = parser.getEvent();
        return new SequenceNode(Tag.SEQ, true, new ArrayList<>(), start.getStartMark(), end.getEndMark(),
                start.getFlowStyle());
    }
}

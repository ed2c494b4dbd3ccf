package dev.haguard.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.haguard.json.Json;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * The object the mutating rules change, copied on the first change only: most admissions change nothing, and a
 * copy of a typed object costs as much as reading it. The copy is made from the original's JSON tree, which is
 * kept as the left side of the diff, so that both sides of the diff come from the same serialization.
 */
final class WorkingCopy {

    private final HasMetadata original;
    private JsonNode originalTree;
    private HasMetadata copy;

    WorkingCopy(HasMetadata original) {
        this.original = original;
    }

    /** The object as the rules so far left it. */
    HasMetadata current() {
        return copy != null ? copy : original;
    }

    HasMetadata edit() {
        if (copy == null) {
            if (original == null) {
                throw new IllegalStateException("there is no object to change");
            }
            originalTree = Json.tree(original);
            copy = Json.typed(originalTree, original.getClass());
        }
        return copy;
    }

    /** The changes made through {@link #edit()}, as RFC 6902 operations; empty when nothing was edited. */
    ArrayNode patch() {
        return copy == null ? JsonNodeFactory.instance.arrayNode() : Patches.diff(originalTree, Json.tree(copy));
    }
}

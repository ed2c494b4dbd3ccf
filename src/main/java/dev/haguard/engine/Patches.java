package dev.haguard.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.fabric8.zjsonpatch.DiffFlags;
import io.fabric8.zjsonpatch.JsonDiff;
import java.util.EnumSet;

/** The one place that turns "original vs changed copy" into RFC 6902 operations. */
final class Patches {

    private static final EnumSet<DiffFlags> READABLE =
            EnumSet.of(DiffFlags.OMIT_MOVE_OPERATION, DiffFlags.OMIT_COPY_OPERATION);

    private Patches() {
    }

    /** Only add / replace / remove, which a reviewer can read without replaying moves. */
    static ArrayNode diff(JsonNode original, JsonNode changed) {
        return (ArrayNode) JsonDiff.asJson(original, changed, READABLE);
    }
}

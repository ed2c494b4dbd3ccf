package dev.haguard.engine;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.List;

/**
 * The engine's answer to one admission.
 *
 * @param patch RFC 6902 operations (add / replace / remove only); empty when nothing changed
 * @param rules every rule's decision, in evaluation order, for the audit trail
 * @param scope the policy scope whose settings applied ("defaults" or an override's name)
 * @param breakGlass a break-glass user or group was admitted despite denials (which stay in {@code rules})
 */
public record Decision(
        boolean allowed,
        String message,
        List<String> warnings,
        ArrayNode patch,
        List<RuleDecision> rules,
        String scope,
        boolean breakGlass) {

    /** The answer in one word, as audit records and annotations give it: denied, patched or allowed. */
    public String result() {
        return !allowed ? "denied" : hasPatch() ? "patched" : "allowed";
    }

    public boolean hasPatch() {
        return !patch.isEmpty();
    }

    /** The JSON pointers the patch touches, without values: safe to log. */
    public List<String> patchedPaths() {
        return patch.findValuesAsText("path");
    }
}

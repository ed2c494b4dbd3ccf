package dev.haguard.scan;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haguard.engine.Admission;
import dev.haguard.engine.Decision;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * What the webhooks would answer for one document: {@code mutate} or {@code validate} is null where that webhook was
 * not asked; {@code object} is the object as it would be stored (the mutation applied); {@code unserved} is null
 * unless the manifest's apiVersion is one the API server does not serve.
 */
public record Verdict(Document doc, Admission admission, Decision mutate, Decision validate, JsonNode object,
        ServedVersions.Unserved unserved) {

    public boolean allowed() {
        return unserved == null && (mutate == null || mutate.allowed()) && (validate == null || validate.allowed());
    }

    /** The decisions of the webhooks that were asked, mutating first. */
    public List<Decision> decisions() {
        return Stream.of(mutate, validate).filter(Objects::nonNull).toList();
    }
}

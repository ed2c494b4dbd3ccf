package dev.haguard.policy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads a {@code defaults} or {@code rules} mapping: each key is a rule, read as that rule's settings type. */
final class RuleSetReader extends StdDeserializer<RuleSet> {

    private final Map<String, RuleSettings<?>> known = new LinkedHashMap<>();

    RuleSetReader(List<RuleSettings<?>> catalog) {
        super(RuleSet.class);
        catalog.stream().filter(RuleSettings::configurable).forEach(s -> known.put(s.key(), s));
    }

    @Override
    public RuleSet deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (!p.isExpectedStartObjectToken()) {
            return (RuleSet) ctxt.handleUnexpectedToken(RuleSet.class, p);
        }
        Map<String, RuleConfig<?>> read = new LinkedHashMap<>();
        for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
            RuleSettings<?> settings = known.get(key);
            if (settings == null) {
                throw UnrecognizedPropertyException.from(p, RuleSet.class, key, new ArrayList<>(known.keySet()));
            }
            if (p.nextToken() == JsonToken.VALUE_NULL) {
                continue;
            }
            try {
                read.put(key, ctxt.readValue(p, settings.type()));
            } catch (JsonMappingException e) {
                throw JsonMappingException.wrapWithPath(e, RuleSet.class, key);
            }
        }
        return new RuleSet(read);
    }
}

package dev.haguard.policy;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.haguard.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads policy YAML strictly: unknown keys, wrong types and out-of-range values are errors with key path and line.
 * It knows the rules from their {@link RuleSettings}, and ha-guard's own namespace, which is always exempt.
 */
public final class PolicyParser {

    /** Where the packaged default policy lives on the class path. */
    public static final String PACKAGED_DEFAULT = "policies/default.yaml";

    private static final YAMLMapper STRICT = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    private final YAMLMapper yaml;
    private final List<RuleSettings<?>> catalog;
    private final String ownNamespace;

    public PolicyParser(List<RuleSettings<?>> catalog, String ownNamespace) {
        this.catalog = List.copyOf(catalog);
        this.ownNamespace = ownNamespace;
        YAMLMapper mapper = STRICT.copy();
        mapper.registerModule(new SimpleModule("rules").addDeserializer(RuleSet.class, new RuleSetReader(this.catalog)));
        this.yaml = mapper;
    }

    /** Parses one policy document; {@code source} names it in error messages (a file name, a ConfigMap). */
    public Policy parse(String text, String source) {
        if (text == null) {
            throw new PolicyException(source + ": the policy document is empty");
        }
        try {
            try (JsonParser tokens = yaml.createParser(text)) {
                if (tokens.nextToken() == null) {
                    throw new PolicyException(source + ": the policy document is empty");
                }
            }
            PolicyDocument document = yaml.readValue(text, PolicyDocument.class);
            if (document == null) {
                throw new PolicyException(source + ": the policy document is null: expected a mapping that starts with version: "
                        + Policy.SCHEMA_VERSION);
            }
            return Policy.compile(document, catalog, ownNamespace);
        } catch (JsonMappingException e) {
            throw new PolicyException(source + describe(e));
        } catch (JacksonException e) {
            throw new PolicyException(source + at(e.getLocation()) + ": not valid YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new PolicyException(source + ": cannot read the policy: " + e.getMessage());
        }
    }

    public Policy parse(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new PolicyException(file + ": cannot read the policy file: " + e.getMessage());
        }
    }

    public Policy packagedDefault() {
        try (InputStream in = PolicyParser.class.getClassLoader().getResourceAsStream(PACKAGED_DEFAULT)) {
            if (in == null) {
                throw new IllegalStateException(PACKAGED_DEFAULT + " is missing from the class path");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "packaged " + PACKAGED_DEFAULT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String describe(JsonMappingException e) {
        String path = Json.path(e);
        String problem;
        if (e instanceof ValueInstantiationException && e.getCause() instanceof PolicyException pe) {
            path = pe.key() == null || pe.key().isEmpty() ? path : path.isEmpty() ? pe.key() : path + "." + pe.key();
            problem = pe.getMessage();
        } else if (e instanceof ValueInstantiationException && e.getCause() instanceof IllegalArgumentException iae) {
            problem = iae.getMessage();
        } else if (e instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException u) {
            problem = "unknown key; known keys here: " + u.getKnownPropertyIds();
        } else if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            // Name the expected type, never the value found: the document may sit in a ConfigMap.
            problem = "expected " + expected(m.getTargetType());
        } else {
            problem = "invalid value";
        }
        return at(e.getLocation()) + ": " + (path.isEmpty() ? "" : path + ": ") + problem;
    }

    private static String expected(Class<?> type) {
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.stream(type.getEnumConstants())
                    .map(c -> c instanceof Mode m ? m.label() : Json.MAPPER.convertValue(c, String.class))
                    .collect(Collectors.joining(", "));
        }
        if (Number.class.isAssignableFrom(type) || type == int.class) {
            return "a whole number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (java.util.Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        return type == String.class ? "a string" : "a mapping (" + type.getSimpleName() + ")";
    }

    private static String at(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? "" : " line " + location.getLineNr();
    }
}

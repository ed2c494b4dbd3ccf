package dev.haguard.policy;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.haguard.engine.Json;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/** Reads policy YAML strictly: unknown keys, wrong types and out-of-range values are errors with key path and line. */
public final class PolicyParser {

    /** Where the packaged default policy lives on the class path. */
    public static final String PACKAGED_DEFAULT = "policies/default.yaml";

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    private PolicyParser() {
    }

    /** Parses one policy document; {@code source} names it in error messages (a file name, a ConfigMap). */
    public static Policy parse(String yaml, String source) {
        if (yaml == null) {
            throw new PolicyException(source + ": the policy document is empty");
        }
        try {
            try (JsonParser tokens = YAML.createParser(yaml)) {
                if (tokens.nextToken() == null) {
                    throw new PolicyException(source + ": the policy document is empty");
                }
            }
            PolicyDocument document = YAML.readValue(yaml, PolicyDocument.class);
            if (document == null) {
                throw new PolicyException(source + ": the policy document is null: expected a mapping that starts with version: "
                        + Policy.SCHEMA_VERSION);
            }
            return Policy.compile(document);
        } catch (JsonMappingException e) {
            throw new PolicyException(source + describe(e));
        } catch (JacksonException e) {
            throw new PolicyException(source + at(e.getLocation()) + ": not valid YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new PolicyException(source + ": cannot read the policy: " + e.getMessage());
        }
    }

    public static Policy parse(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new PolicyException(file + ": cannot read the policy file: " + e.getMessage());
        }
    }

    public static Policy packagedDefault() {
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

package dev.haguard.policy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.haguard.json.Json;
import dev.haguard.json.Yaml;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads policy YAML strictly: unknown keys, wrong types and out-of-range values are errors with the key path and the
 * line and column where the key was written.
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
        try (JsonParser tokens = yaml.createParser(text)) {
            if (tokens.nextToken() == null) {
                throw new PolicyException(source + ": the policy document is empty");
            }
        } catch (IOException e) {
            // not YAML at all: Yaml.readAll says where
        }
        List<Yaml.Document> documents;
        try {
            documents = Yaml.readAll(text);
        } catch (Yaml.Unreadable e) {
            throw new PolicyException(source + " " + e.getMessage());
        }
        if (documents.isEmpty()) {
            throw new PolicyException(source + ": the policy document is null: expected a mapping that starts with version: "
                    + Policy.SCHEMA_VERSION);
        }
        if (documents.size() > 1) {
            throw new PolicyException(source + " line " + documents.get(1).line() + ": a second YAML document; a policy is "
                    + "one document");
        }
        Yaml.Document document = documents.get(0);
        try {
            return Policy.compile(yaml.treeToValue(document.content(), PolicyDocument.class), catalog, ownNamespace);
        } catch (JsonMappingException e) {
            throw new PolicyException(source + describe(e, document));
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

    /** Names the key as written: its line and column, its path, and the problem, never the value found. */
    private static String describe(JsonMappingException e, Yaml.Document document) {
        String path = Json.path(e);
        String problem;
        if (e instanceof ValueInstantiationException && e.getCause() instanceof PolicyException pe) {
            path = pe.key() == null || pe.key().isEmpty() ? path : path.isEmpty() ? pe.key() : path + "." + pe.key();
            problem = pe.getMessage();
        } else if (e instanceof ValueInstantiationException && e.getCause() instanceof IllegalArgumentException iae) {
            problem = iae.getMessage();
        } else if (e instanceof UnrecognizedPropertyException u) {
            String key = u.getPropertyName();
            if (!path.endsWith(key)) {
                path = path.isEmpty() ? key : path + "." + key;
            }
            List<String> known = known(u);
            problem = "unknown key" + Spelling.nearest(key, known).map(n -> "; did you mean \"" + n + "\"?").orElse("")
                    + " Known keys here: " + String.join(", ", known);
        } else if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            // Name the expected type, never the value found: the document may sit in a ConfigMap.
            problem = "expected " + expected(m.getTargetType());
        } else {
            problem = "invalid value";
        }
        return " " + document.position(path) + ": " + (path.isEmpty() ? "" : path + ": ") + problem;
    }

    /** The keys allowed where an unknown one was found, in the order the settings declare them. */
    private static List<String> known(UnrecognizedPropertyException u) {
        List<String> known = u.getKnownPropertyIds().stream().map(String::valueOf).toList();
        Class<?> type = u.getReferringClass();
        if (type == null || !type.isRecord()) {
            return known;
        }
        List<String> declared = java.util.Arrays.stream(type.getRecordComponents())
                .map(java.lang.reflect.RecordComponent::getName).toList();
        return known.stream().sorted(java.util.Comparator.comparingInt(k -> declared.indexOf(k) < 0
                ? Integer.MAX_VALUE : declared.indexOf(k))).toList();
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
}

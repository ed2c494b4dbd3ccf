package dev.haguard.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads Kubernetes manifests: files, directories (recursively), {@code -} for standard input; multi-document YAML or JSON. */
final class Manifests {

    private static final YAMLMapper YAML = new YAMLMapper();

    /** One document, and where it was found. */
    record Document(String source, int line, JsonNode content) {
        String where() {
            return source + ":" + line;
        }
    }

    /** Input that cannot be used at all; the message starts with file and line. */
    static final class UnusableInput extends Exception {
        UnusableInput(String message) {
            super(message);
        }
    }

    private Manifests() {
    }

    static List<Document> read(List<String> paths, InputStream stdin) throws UnusableInput {
        List<Document> out = new ArrayList<>();
        for (String path : paths) {
            if (path.equals("-")) {
                out.addAll(parse("<stdin>", readAll(stdin)));
                continue;
            }
            Path p = Path.of(path);
            if (!Files.exists(p)) {
                throw new UnusableInput(path + ": no such file or directory");
            }
            for (Path file : files(p)) {
                try {
                    out.addAll(parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8)));
                } catch (IOException e) {
                    throw new UnusableInput(file + ": cannot read: " + e.getMessage());
                }
            }
        }
        return out;
    }

    private static List<Path> files(Path p) throws UnusableInput {
        if (!Files.isDirectory(p)) {
            return List.of(p);
        }
        try (Stream<Path> walk = Files.walk(p)) {
            return walk.filter(Files::isRegularFile)
                    .filter(f -> f.toString().matches(".*\\.(ya?ml|json)$"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UnusableInput(p + ": cannot list: " + e.getMessage());
        }
    }

    private static String readAll(InputStream in) throws UnusableInput {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UnusableInput("<stdin>: cannot read: " + e.getMessage());
        }
    }

    static List<Document> parse(String source, String text) throws UnusableInput {
        List<Document> docs = new ArrayList<>();
        try (JsonParser parser = new YAMLFactory().createParser(text)) {
            parser.setCodec(YAML);
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                int line = parser.currentTokenLocation().getLineNr();
                JsonNode node = parser.readValueAsTree();
                if (token == JsonToken.VALUE_NULL || node == null || node.isNull() || node.isMissingNode()) {
                    continue;
                }
                if (!node.isObject() || !node.hasNonNull("apiVersion") || !node.hasNonNull("kind")) {
                    throw new UnusableInput(source + ":" + line + ": not a Kubernetes object (needs apiVersion and kind)");
                }
                if (node.path("kind").asText().endsWith("List") && node.path("items").isArray()) {
                    node.path("items").forEach(item -> docs.add(new Document(source, line, item)));
                } else {
                    docs.add(new Document(source, line, node));
                }
            }
        } catch (JsonProcessingException e) {
            String line = e.getLocation() == null ? "" : ":" + e.getLocation().getLineNr();
            throw new UnusableInput(source + line + ": not valid YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UnusableInput(source + ": cannot read: " + e.getMessage());
        }
        return docs;
    }
}

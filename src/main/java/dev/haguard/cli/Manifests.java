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
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import java.util.stream.Stream;

/**
 * Reads Kubernetes manifests: files, directories (recursively), {@code -} for standard input; multi-document YAML or
 * JSON. In a directory, what is no manifest is skipped with a note (hidden folders, excluded paths, Helm templates,
 * kustomization files, YAML without apiVersion and kind, such as Chart.yaml, values.yaml or an app's config); a
 * file named on its own must be one, and a manifest that does not parse fails with file and line.
 */
final class Manifests {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final String HELM = "a Helm template";
    /** Helm's own actions and objects; Prometheus or Go templates inside a ConfigMap ({{ $labels.x }}) are not. */
    private static final Pattern HELM_ACTION = Pattern.compile("\\{\\{-?\\s*(?:\\.(?:Values|Release|Chart|Capabilities|Files"
            + "|Template)\\b|(?:include|template|if|else|range|with|define|end|toYaml|tpl|required|default)\\b)");

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

    /** {@code exclude}: globs matched against a file's path below the directory named, and its name. */
    static List<Document> read(List<String> paths, InputStream stdin, List<String> exclude, Consumer<String> notes)
            throws UnusableInput {
        List<Document> out = new ArrayList<>();
        List<PathMatcher> excluded = exclude.stream().map(g -> FileSystems.getDefault().getPathMatcher("glob:" + g))
                .toList();
        for (String path : paths) {
            if (path.equals("-")) {
                out.addAll(named("<stdin>", readAll(stdin)));
                continue;
            }
            Path p = Path.of(path);
            if (!Files.exists(p)) {
                throw new UnusableInput(path + ": no such file or directory");
            }
            if (!Files.isDirectory(p)) {
                out.addAll(named(p.toString(), text(p)));
                continue;
            }
            for (Path file : files(p, excluded, notes)) {
                String text = text(file);
                String notManifest = notManifest(text);
                if (notManifest != null) {
                    notes.accept("skipped " + file + ": " + notManifest);
                    continue;
                }
                out.addAll(parse(file.toString(), text));
            }
        }
        return out;
    }

    /** A file named on its own, or standard input: it must be manifests. */
    private static List<Document> named(String source, String text) throws UnusableInput {
        String notManifest = notManifest(text);
        if (notManifest != null && notManifest.startsWith(HELM)) {
            throw new UnusableInput(source + ": " + notManifest);
        }
        return parse(source, text);
    }

    /** Why a file in a directory is no manifest to judge, or null when it is one (or should fail as one). */
    private static String notManifest(String text) {
        if (HELM_ACTION.matcher(text).find()) {
            return HELM + ": render it first, e.g. helm template . | ha-guard check -";
        }
        try (JsonParser parser = new YAMLFactory().createParser(text)) {
            parser.setCodec(YAML);
            while (parser.nextToken() != null) {
                int line = parser.currentTokenLocation().getLineNr();
                JsonNode node = parser.readValueAsTree();
                if (node == null || node.isNull() || node.isMissingNode()) {
                    continue;
                }
                String apiVersion = node.path("apiVersion").asText("");
                if (apiVersion.startsWith("kustomize.config.k8s.io/")) {
                    return "a kustomization: render it first, e.g. kubectl kustomize DIR | ha-guard check -";
                }
                if (!node.isObject() || !node.hasNonNull("apiVersion") || !node.hasNonNull("kind")) {
                    return "not a Kubernetes manifest (the document at line " + line + " has no apiVersion and kind)";
                }
            }
        } catch (IOException e) {
            return null; // a manifest that does not parse fails in parse(), with file and line
        }
        return null;
    }

    private static String text(Path file) throws UnusableInput {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UnusableInput(file + ": cannot read: " + e.getMessage());
        }
    }

    private static List<Path> files(Path root, List<PathMatcher> excluded, Consumer<String> notes)
            throws UnusableInput {
        try (Stream<Path> walk = Files.walk(root)) {
            List<Path> files = new ArrayList<>();
            for (Path f : walk.filter(Files::isRegularFile).filter(f -> f.toString().matches(".*\\.(ya?ml|json)$"))
                    .sorted().toList()) {
                Path relative = root.relativize(f);
                if (StreamSupport.stream(relative.spliterator(), false).anyMatch(part -> part.toString().startsWith("."))) {
                    continue; // hidden, such as .github/workflows: never manifests to apply
                }
                if (excluded.stream().anyMatch(m -> m.matches(relative) || m.matches(relative.getFileName()))) {
                    notes.accept("skipped " + f + ": excluded");
                    continue;
                }
                files.add(f);
            }
            return files;
        } catch (IOException e) {
            throw new UnusableInput(root + ": cannot list: " + e.getMessage());
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

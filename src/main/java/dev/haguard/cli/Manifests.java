package dev.haguard.cli;

import dev.haguard.scan.Document;
import dev.haguard.scan.UnusableInput;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haguard.json.Yaml;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import java.util.stream.Stream;

/**
 * Reads Kubernetes manifests: files, directories (recursively), {@code -} for standard input; multi-document YAML or
 * JSON. In a directory, what is no manifest is skipped with a note (hidden folders, excluded paths, templates to render
 * first, kustomization files and the patches they name, YAML without apiVersion and kind, such as Chart.yaml,
 * values.yaml or an app's config, files that are neither YAML nor JSON, such as NDJSON data); a file named on its own
 * must be manifests, and a manifest that does not parse fails with file and line.
 *
 * <p>What is a template: a file that uses Helm's own objects or functions ({{ .Values.x }}, {{ include ... }}), which
 * never occur outside a chart, wherever they are written; and a file with template actions that does not parse as YAML.
 * Other template text in a file that parses ({{ range .Alerts }} in an Alertmanager config, {{ $labels.x }} in
 * Prometheus rules) is data, and the file is judged.
 */
final class Manifests {

    /** Helm's built-in objects and the functions only Helm charts use; Go templates elsewhere use neither. */
    private static final Pattern HELM_ACTION = Pattern.compile("\\{\\{-?\\s*(?:\\.(?:Values|Release|Chart|Capabilities|Files"
            + "|Template)\\b|(?:include|toYaml|toJson|tpl|required|nindent|indent)\\b)");
    private static final String RENDER = "render it first, e.g. helm template . | ha-guard check -";

    private Manifests() {
    }

    /** {@code exclude}: globs matched against a file's path below the directory named, and its name. */
    static List<Document> read(List<String> paths, InputStream stdin, List<String> exclude, Consumer<String> notes)
            throws UnusableInput {
        return read(paths, stdin, exclude, notes, java.util.function.UnaryOperator.identity());
    }

    /** {@code object}: each object as it is read (a List's items as soon as each is), e.g. what a scan keeps of it. */
    static List<Document> read(List<String> paths, InputStream stdin, List<String> exclude, Consumer<String> notes,
            java.util.function.UnaryOperator<JsonNode> object) throws UnusableInput {
        List<Document> out = new ArrayList<>();
        List<PathMatcher> excluded = exclude.stream().map(g -> FileSystems.getDefault().getPathMatcher("glob:" + g))
                .toList();
        for (String path : paths) {
            if (path.equals("-")) {
                out.addAll(named("<stdin>", readAll(stdin), object));
                continue;
            }
            Path p = Path.of(path);
            if (!Files.exists(p)) {
                throw new UnusableInput(path + ": no such file or directory");
            }
            if (!Files.isDirectory(p)) {
                out.addAll(named(p.toString(), text(p), object));
                continue;
            }
            List<Path> files = files(p, excluded, notes);
            Map<Path, Path> patches = kustomizePatches(files);
            for (Path file : files) {
                if (patches.containsKey(file.toAbsolutePath().normalize())) {
                    notes.accept("skipped " + file + ": a kustomize patch (of " + patches.get(file.toAbsolutePath()
                            .normalize()) + "): render it first, e.g. kubectl kustomize DIR | ha-guard check -");
                    continue;
                }
                String text = text(file);
                String helm = helm(text);
                if (helm != null) {
                    notes.accept("skipped " + file + ": " + helm);
                    continue;
                }
                List<Yaml.Document> yaml;
                try {
                    yaml = Yaml.readAll(text, object);
                } catch (Yaml.Unreadable e) {
                    String stray = stray(text, e);
                    if (stray == null) {
                        throw unreadable(file.toString(), e); // a manifest with a mistake: kubectl apply would fail too
                    }
                    notes.accept("skipped " + file + ": " + stray);
                    continue;
                }
                String notManifest = notManifest(yaml);
                if (notManifest != null) {
                    notes.accept("skipped " + file + ": " + notManifest);
                    continue;
                }
                out.addAll(objects(file.toString(), yaml, true, object));
            }
        }
        return out;
    }

    /** A file named on its own, or standard input: it must be manifests. */
    private static List<Document> named(String source, String text, java.util.function.UnaryOperator<JsonNode> object)
            throws UnusableInput {
        String helm = helm(text);
        if (helm != null) {
            throw new UnusableInput(source + ": " + helm);
        }
        try {
            return objects(source, Yaml.readAll(text, object), false, object);
        } catch (Yaml.Unreadable e) {
            if (text.contains("{{")) {
                throw new UnusableInput(source + ":" + e.position().line() + ": " + TEMPLATE);
            }
            throw unreadable(source, e);
        }
    }

    private static final String TEMPLATE = "a template (template actions where YAML expects a value): " + RENDER;

    /**
     * Why a file in a folder that does not parse as YAML is no manifest to judge; null when it looks like one
     * (apiVersion and kind written at the start of a line), which then fails the run as kubectl's apply would.
     */
    private static String stray(String text, Yaml.Unreadable e) {
        if (text.contains("{{")) {
            return TEMPLATE;
        }
        boolean manifest = Pattern.compile("(?m)^\\s*\"?apiVersion\"?\\s*:").matcher(text).find()
                && Pattern.compile("(?m)^\\s*\"?kind\"?\\s*:").matcher(text).find();
        return manifest ? null : "neither YAML nor JSON that kubectl reads (line " + e.position().line() + ": "
                + e.reason() + ")";
    }

    private static UnusableInput unreadable(String source, Yaml.Unreadable e) {
        return new UnusableInput(source + ":" + e.position().line() + ":" + e.position().column() + ": " + e.reason());
    }

    /**
     * The files that kustomization files among {@code files} name as patches (patches[].path,
     * patchesStrategicMerge, patchesJson6902[].path), each with the kustomization naming it. A patch is a fragment
     * of an object, not one to judge: a Deployment patch without a template, or one that deletes the Deployment.
     */
    private static Map<Path, Path> kustomizePatches(List<Path> files) {
        Map<Path, Path> patches = new HashMap<>();
        for (Path file : files) {
            String name = file.getFileName().toString();
            if (!name.matches("(?i)kustomization\\.ya?ml")) {
                continue;
            }
            try {
                for (Yaml.Document doc : Yaml.readAll(Files.readString(file, StandardCharsets.UTF_8))) {
                    List<JsonNode> named = new ArrayList<>();
                    doc.content().path("patches").forEach(e -> named.add(e.path("path")));
                    doc.content().path("patchesJson6902").forEach(e -> named.add(e.path("path")));
                    doc.content().path("patchesStrategicMerge").forEach(named::add);
                    named.stream().filter(JsonNode::isTextual).map(JsonNode::asText).filter(t -> !t.contains("\n"))
                            .forEach(path -> patches.put(file.resolveSibling(path).toAbsolutePath().normalize(), file));
                }
            } catch (IOException | Yaml.Unreadable e) {
                // a kustomization that cannot be read names no patches; it is skipped as a kustomization anyway
            }
        }
        return patches;
    }

    private static String helm(String text) {
        return HELM_ACTION.matcher(text).find() ? "a Helm template: " + RENDER : null;
    }

    /** Why parsed YAML in a directory is no manifest to judge, or null when it is one (or should fail as one). */
    private static String notManifest(List<Yaml.Document> docs) {
        for (Yaml.Document doc : docs) {
            JsonNode node = doc.content();
            if (node.path("apiVersion").asText("").startsWith("kustomize.config.k8s.io/")) {
                return "a kustomization: render it first, e.g. kubectl kustomize DIR | ha-guard check -";
            }
            if (!node.isObject() || !node.hasNonNull("apiVersion") || !node.hasNonNull("kind")) {
                return "not a Kubernetes manifest (the document at line " + doc.line() + " has no apiVersion and kind)";
            }
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

    /** The objects of parsed manifests; each item of a List is an object of its own, at its own line. */
    private static List<Document> objects(String source, List<Yaml.Document> yaml, boolean inFolder,
            java.util.function.UnaryOperator<JsonNode> object) throws UnusableInput {
        List<Document> docs = new ArrayList<>();
        for (Yaml.Document doc : yaml) {
            JsonNode node = doc.content();
            if (!node.isObject() || !node.hasNonNull("apiVersion") || !node.hasNonNull("kind")) {
                throw new UnusableInput(source + ":" + doc.line() + ": not a Kubernetes object (needs apiVersion and kind)");
            }
            if (node.path("kind").asText().endsWith("List") && node.path("items").isArray()) {
                for (int i = 0; i < node.path("items").size(); i++) {
                    if (node.path("items").get(i) != dev.haguard.scan.Held.TAKEN) {
                        docs.add(new Document(source, node.path("items").get(i), doc, "items[" + i + "]", inFolder));
                    }
                }
            } else {
                JsonNode kept = object.apply(node);
                if (kept != dev.haguard.scan.Held.TAKEN) {
                    docs.add(new Document(source, kept, doc, "", inFolder));
                }
            }
        }
        return docs;
    }
}

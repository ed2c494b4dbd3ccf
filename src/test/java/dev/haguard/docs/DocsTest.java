package dev.haguard.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haguard.cli.Usage;
import dev.haguard.engine.Rule;
import dev.haguard.rules.StandardRules;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The documentation a newcomer follows holds together: every relative link in README.md, docs/ and bench/RESULTS.md
 * reaches a file, and its #anchor a heading there; every verb the command line's --help lists has its section in
 * docs/cli.md; every rule ha-guard ships has its page; and no page under docs/ is an orphan.
 */
class DocsTest {

    private static final Pattern LINK = Pattern.compile("(?<!!)\\[[^\\]]*]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.*?)\\s*$");

    @Test
    void every_relative_link_reaches_a_file_and_every_anchor_a_heading() {
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path page : pages()) {
            for (String target : links(page)) {
                if (target.matches("^[a-z][a-z0-9+.-]*:.*")) {
                    continue; // https:, mailto: ...: not ours to check offline
                }
                checked++;
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                Path resolved = file.isEmpty() ? page : page.getParent() == null ? Path.of(file)
                        : page.getParent().resolve(file).normalize();
                if (!Files.exists(resolved)) {
                    broken.add(page + ": " + target + " (no file " + resolved + ")");
                } else if (hash >= 0 && !anchors(resolved).contains(target.substring(hash + 1))) {
                    broken.add(page + ": " + target + " (no heading with that anchor in " + resolved + "; it has "
                            + anchors(resolved) + ")");
                }
            }
        }
        assertThat(checked).as("relative links checked").isGreaterThan(50);
        assertThat(broken).as("broken links").isEmpty();
    }

    @Test
    void every_verb_the_help_lists_has_a_section_in_the_cli_page() {
        ByteArrayOutputStream help = new ByteArrayOutputStream();
        assertThat(Usage.run("--help", new PrintStream(help, true, StandardCharsets.UTF_8), System.err)).isZero();
        Map<String, List<String>> verbs = verbs(help.toString(StandardCharsets.UTF_8));
        Map<String, String> sections = sections(Path.of("docs/cli.md"));

        assertThat(verbs).containsKeys("serve", "check", "scan", "drill", "export", "audit");
        verbs.forEach((verb, words) -> {
            assertThat(sections).as("docs/cli.md sections").containsKey(verb);
            words.forEach(word -> assertThat(sections.get(verb)).as("docs/cli.md ## " + verb).contains(word));
        });
    }

    @Test
    void every_rule_has_its_page_listed_in_the_rules_table_and_in_the_readme() throws IOException {
        String table = Files.readString(Path.of("docs/rules/README.md"));
        String readme = Files.readString(Path.of("README.md"));
        for (Rule<?> rule : StandardRules.DEFAULT.rules()) {
            Path page = Path.of("docs/rules", rule.name() + ".md");
            assertThat(page).as("the page of rule " + rule.name()).exists();
            assertThat(Files.readString(page)).startsWith("# " + rule.name() + "\n");
            assertThat(table).contains("](" + rule.name() + ".md)");
            assertThat(readme).contains("](docs/rules/" + rule.name() + ".md)");
        }
    }

    @Test
    void every_page_under_docs_is_linked_from_another_page() {
        Set<Path> linked = new HashSet<>();
        for (Path page : pages()) {
            for (String target : links(page)) {
                String file = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
                if (!file.isEmpty() && !target.matches("^[a-z][a-z0-9+.-]*:.*")) {
                    Path resolved = page.getParent() == null ? Path.of(file) : page.getParent().resolve(file);
                    linked.add(resolved.normalize());
                }
            }
        }
        List<Path> orphans = pages().stream().filter(p -> p.startsWith("docs") && !linked.contains(p)).toList();
        assertThat(orphans).as("pages no other page links to").isEmpty();
    }

    /** README.md, bench/RESULTS.md and every page under docs/, relative to the repository root. */
    private static List<Path> pages() {
        List<Path> pages = new ArrayList<>(List.of(Path.of("README.md"), Path.of("bench/RESULTS.md")));
        try (Stream<Path> docs = Files.walk(Path.of("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pages;
    }

    /** The link targets of a page, outside code blocks and code spans, where a reader would click them. */
    private static List<String> links(Path page) {
        List<String> out = new ArrayList<>();
        for (String line : prose(page)) {
            Matcher m = LINK.matcher(line.replaceAll("`[^`]*`", "``"));
            while (m.find()) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    /** The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces as hyphens, repeats -1, -2. */
    private static Set<String> anchors(Path page) {
        Map<String, Integer> seen = new HashMap<>();
        Set<String> out = new LinkedHashSet<>();
        for (String line : prose(page)) {
            Matcher m = HEADING.matcher(line);
            if (m.matches()) {
                String slug = m.group(2).toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "")
                        .replace(' ', '-');
                int n = seen.merge(slug, 1, Integer::sum) - 1;
                out.add(n == 0 ? slug : slug + "-" + n);
            }
        }
        return out;
    }

    /** The `## ` sections of a page by their first word, each with its text up to the next such heading. */
    private static Map<String, String> sections(Path page) {
        Map<String, String> out = new LinkedHashMap<>();
        String current = null;
        for (String line : prose(page)) {
            if (line.startsWith("## ")) {
                current = line.substring(3).trim().split("\\s+")[0].replace("`", "");
                out.put(current, "");
            } else if (current != null) {
                out.merge(current, line + "\n", String::concat);
            }
        }
        return out;
    }

    /**
     * The verbs of the top-level help, each with the words it names after it in lower case ("audit verify|summary":
     * audit with verify and summary; "export vap": export with vap); options and placeholders are left out.
     */
    private static Map<String, List<String>> verbs(String help) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String line : help.lines().skip(1).toList()) {
            String entry = line.trim().split("\\s{2,}")[0];
            String last = entry.substring(entry.lastIndexOf(',') + 1).trim();
            String[] words = last.split("\\s+");
            if (words[0].startsWith("-")) {
                continue;
            }
            List<String> named = words.length < 2 ? List.of()
                    : Stream.of(words[1].split("\\|")).filter(w -> w.matches("[a-z]+")).toList();
            out.put(words[0], named);
        }
        return out;
    }

    /** The lines of a page outside fenced code blocks (and the fences themselves). */
    private static List<String> prose(Path page) {
        List<String> out = new ArrayList<>();
        boolean fenced = false;
        try {
            for (String line : Files.readAllLines(page)) {
                if (line.stripLeading().startsWith("```")) {
                    fenced = !fenced;
                } else if (!fenced) {
                    out.add(line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}

package dev.haguard.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class YamlTest {

    /** A dump as kubectl get -A -o yaml prints it, padded past the size from which it is read an item at a time. */
    private static String dump(String items) {
        String padding = "# " + "x".repeat(1022) + "\n";
        return "apiVersion: v1\nkind: List\n" + padding.repeat(Yaml.STREAMED / padding.length() + 1) + "items:\n"
                + items + "metadata: {resourceVersion: \"\"}\n";
    }

    @Test
    void a_dump_is_read_an_item_at_a_time_with_the_same_yaml_and_each_item_placed_by_its_line() throws Exception {
        String text = dump("""
                - apiVersion: v1
                  kind: Pod
                  metadata: &meta {name: a, namespace: shop, labels: {on: yes, n: 010}}
                - apiVersion: v1
                  kind: Pod
                  metadata:
                    <<: *meta
                    name: b
                """);
        int itemsLine = (int) text.substring(0, text.indexOf("items:")).lines().count() + 1;

        java.util.List<Yaml.Document> docs = Yaml.readAll(text);

        assertThat(docs).hasSize(1);
        var content = docs.get(0).content();
        assertThat(content.path("kind").asText()).isEqualTo("List");
        assertThat(content.path("metadata").path("resourceVersion").asText()).isEmpty();
        assertThat(content.path("items")).hasSize(2);
        assertThat(content.path("items").get(0).path("metadata").toString())
                .as("YAML 1.1 scalars, as kubectl reads them").isEqualTo("{\"name\":\"a\",\"namespace\":\"shop\","
                        + "\"labels\":{\"on\":true,\"n\":8}}");
        assertThat(content.path("items").get(1).path("metadata").path("name").asText()).isEqualTo("b");
        assertThat(content.path("items").get(1).path("metadata").path("namespace").asText())
                .as("an alias to an anchor in an earlier item, merged").isEqualTo("shop");
        assertThat(docs.get(0).position("items[1].metadata.name").line()).as("placed by the item's line")
                .isEqualTo(itemsLine + 4);
    }

    @Test
    void a_mistake_in_a_dump_is_refused_with_its_line_as_in_a_small_file() {
        String text = dump("""
                - apiVersion: v1
                  kind: Pod
                  metadata: {name: a}
                  metadata: {name: b}
                """);
        int itemsLine = (int) text.substring(0, text.indexOf("items:")).lines().count() + 1;

        assertThatThrownBy(() -> Yaml.readAll(text)).isInstanceOfSatisfying(Yaml.Unreadable.class, e -> {
            assertThat(e.position().line()).isEqualTo(itemsLine + 4);
            assertThat(e.reason()).startsWith("duplicate key \"metadata\"");
        });
        assertThatThrownBy(() -> Yaml.readAll(dump("- just text\n"))).isInstanceOfSatisfying(Yaml.Unreadable.class,
                e -> assertThat(e.reason()).isEqualTo("an item of a List is not an object (a mapping)"));
    }

    @Test
    void a_trailing_tab_is_whitespace_whatever_ends_the_lines() throws Exception {
        assertThat(Yaml.readAll("metadata:\t\r  name: x\rb: 1\t\r\n").get(0).content().toString())
                .isEqualTo("{\"metadata\":{\"name\":\"x\"},\"b\":1}");
    }

    @Test
    void the_fuzzers_find_lone_carriage_returns_before_a_trailing_tab_no_longer_crash_the_reader() throws Exception {
        // Counting lines by \\n alone put the tab on a line that did not exist: ArrayIndexOutOfBoundsException,
        // found by PolicyFuzzTest (its input is kept as a regression case).
        assertThat(Yaml.readAll("a: 1\rb: 2\rc:\t\n").get(0).content().toString())
                .isEqualTo("{\"a\":1,\"b\":2,\"c\":null}");
        assertThatThrownBy(() -> Yaml.readAll("a: 1\rb:\n\t- x\n")).isInstanceOf(Yaml.Unreadable.class)
                .hasMessageContaining("tab character");
    }

    @Test
    void positions_are_found_when_asked_and_point_at_the_key() throws Exception {
        Yaml.Document doc = Yaml.readAll("a: 1\nspec:\n  replicas: 2\n").get(0);

        assertThat(doc.position("spec.replicas")).isEqualTo(new Yaml.Position(3, 3));
        assertThat(doc.position("spec.missing")).as("the nearest written parent").isEqualTo(new Yaml.Position(2, 1));
    }

    @Test
    void a_sexagesimal_number_too_large_to_read_is_kept_as_its_text() throws Exception {
        // YAML 1.1 reads 1:20 as 80; SnakeYAML threw NumberFormatException past int (found by PolicyFuzzTest).
        assertThat(Yaml.readAll("a: 442222442222222122222222222122222222:2\nb: 1:20\n").get(0).content().toString())
                .isEqualTo("{\"a\":\"442222442222222122222222222122222222:2\",\"b\":80}");
    }
}

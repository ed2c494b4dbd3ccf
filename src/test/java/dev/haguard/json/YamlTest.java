package dev.haguard.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class YamlTest {

    @Test
    void a_file_over_the_limit_is_refused_before_it_is_read_with_what_to_do_instead() {
        String huge = "a: b\n" + " ".repeat(64 * 1024 * 1024);

        assertThatThrownBy(() -> Yaml.readAll(huge)).isInstanceOfSatisfying(Yaml.Unreadable.class, e -> {
            assertThat(e.position()).isEqualTo(new Yaml.Position(1, 1));
            assertThat(e.reason()).isEqualTo("67,108,869 characters, over the 67,108,864 one YAML file may have: split "
                    + "it (a dump: one namespace per file, each with the Nodes), or scan a cluster live instead of its "
                    + "dump");
        });
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

package dev.haguard.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layers run one way: a plain policy model and parser, the engine on it, the CEL vocabulary, the rules; adapters
 * (codec, audit, cluster) beside them; the features built from rules (scan, drill, the backstop); then the HTTP door,
 * the server's wiring and the command line, each apart. The core (json, policy, engine, cel, rules) is plain Java that
 * the CLI, the server and every test construct alike, so it knows no Quarkus, Vert.x, JAX-RS or CDI.
 */
class LayeringTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.haguard");

    private static final String[] CORE = {"dev.haguard.json..", "dev.haguard.policy..", "dev.haguard.engine..",
            "dev.haguard.cel..", "dev.haguard.rules.."};

    /** Frameworks the core must not touch: the server's HTTP stack, CDI, configuration and metrics. */
    private static final String[] FRAMEWORKS = {"io.quarkus..", "io.vertx..", "jakarta.ws.rs..",
            "jakarta.enterprise..", "jakarta.inject..", "org.eclipse.microprofile..", "io.smallrye..",
            "io.micrometer..", "org.jboss.resteasy.."};

    @Test
    void no_package_depends_on_itself_through_others() {
        slices().matching("dev.haguard.(**)").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void layers_run_one_way() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("json").definedBy("dev.haguard.json..")
                .layer("policy").definedBy("dev.haguard.policy..")
                .layer("engine").definedBy("dev.haguard.engine..")
                .layer("cel").definedBy("dev.haguard.cel..")
                .layer("rules").definedBy("dev.haguard.rules..")
                .layer("adapters").definedBy("dev.haguard.codec..", "dev.haguard.audit..", "dev.haguard.cluster..")
                .layer("features").definedBy("dev.haguard.scan..", "dev.haguard.drill..", "dev.haguard.backstop..")
                .layer("config").definedBy("dev.haguard.config..")
                .layer("door").definedBy("dev.haguard.admission..")
                .layer("server").definedBy("dev.haguard.server..")
                .layer("cli").definedBy("dev.haguard.cli..")
                .layer("entry").definedBy("dev.haguard", "dev.haguard.bench..")
                .whereLayer("policy").mayOnlyAccessLayers("json")
                .whereLayer("engine").mayOnlyAccessLayers("policy", "json")
                .whereLayer("cel").mayOnlyAccessLayers("engine", "policy", "json")
                .whereLayer("rules").mayOnlyAccessLayers("cel", "engine", "policy", "json")
                .whereLayer("adapters").mayOnlyAccessLayers("engine", "policy", "json")
                .whereLayer("features").mayOnlyAccessLayers("adapters", "rules", "cel", "engine", "policy", "json")
                .whereLayer("config").mayNotAccessAnyLayer()
                // The HTTP door knows the engine, the codec and the audit vocabulary; never the server's wiring.
                .whereLayer("door").mayOnlyAccessLayers("config", "adapters", "engine", "policy", "json")
                .whereLayer("server").mayOnlyAccessLayers("door", "config", "features", "adapters", "rules", "cel",
                        "engine", "policy", "json")
                .whereLayer("cli").mayOnlyAccessLayers("features", "adapters", "rules", "cel", "engine", "policy",
                        "json")
                .whereLayer("door").mayOnlyBeAccessedByLayers("server", "entry")
                .whereLayer("server").mayOnlyBeAccessedByLayers("entry")
                .whereLayer("cli").mayOnlyBeAccessedByLayers("entry")
                .check(MAIN);
    }

    /**
     * A rule's folder is its own: the server, the command line and the door reach the rules only through
     * StandardRules (and what it hands out), so that adding or removing a rule never touches them.
     */
    @Test
    void the_server_the_command_line_and_the_door_reach_no_rule_folder() {
        noClasses().that().resideInAnyPackage("dev.haguard.server..", "dev.haguard.cli..", "dev.haguard.admission..",
                "dev.haguard.bench..", "dev.haguard")
                .should().dependOnClassesThat(resideInAPackage("dev.haguard.rules..")
                        .and(not(resideInAPackage("dev.haguard.rules"))))
                .check(MAIN);
    }

    @Test
    void the_core_uses_no_server_framework() {
        noClasses().that().resideInAnyPackage(CORE).should().dependOnClassesThat().resideInAnyPackage(FRAMEWORKS)
                .check(MAIN);
    }

    /** The compiler drops an import nobody uses, so the class files cannot show it: read the sources too. */
    @Test
    void the_core_sources_import_no_server_framework() throws IOException {
        Pattern framework = Pattern.compile("^import (static )?(io\\.quarkus|io\\.vertx|jakarta\\.ws\\.rs|jakarta\\.enterprise"
                + "|jakarta\\.inject|org\\.eclipse\\.microprofile|io\\.smallrye|io\\.micrometer|org\\.jboss\\.resteasy)\\.",
                Pattern.MULTILINE);
        List<String> offenders;
        try (Stream<Path> files = Stream.of("json", "policy", "engine", "cel", "rules")
                .map(p -> Path.of("src/main/java/dev/haguard", p)).flatMap(LayeringTest::javaFiles)) {
            offenders = files.filter(f -> framework.matcher(read(f)).find()).map(Path::toString).toList();
        }
        assertThat(offenders).as("core sources importing a server framework").isEmpty();
    }

    private static Stream<Path> javaFiles(Path dir) {
        try {
            return Files.walk(dir).filter(f -> f.toString().endsWith(".java")).toList().stream();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

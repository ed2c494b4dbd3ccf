package dev.haguard.architecture;

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
 * The layers run one way: a plain policy model and parser, the engine on it, the rules on the engine, and the server
 * wiring and the command line on top. The core (json, policy, engine, rules) is plain Java that the CLI, the server
 * and every test construct alike, so it knows no Quarkus, Vert.x, JAX-RS or CDI.
 */
class LayeringTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.haguard");

    private static final String[] CORE = {"dev.haguard.json..", "dev.haguard.policy..", "dev.haguard.engine..",
            "dev.haguard.rules.."};

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
                .layer("rules").definedBy("dev.haguard.rules..")
                .layer("adapters").definedBy("dev.haguard.codec..", "dev.haguard.audit..", "dev.haguard.cluster..")
                .layer("top").definedBy("dev.haguard.server..", "dev.haguard.admission..", "dev.haguard.cli..",
                        "dev.haguard.backstop..",
                        "dev.haguard.bench..", "dev.haguard.config..", "dev.haguard")
                .whereLayer("policy").mayOnlyAccessLayers("json")
                .whereLayer("engine").mayOnlyAccessLayers("policy", "json")
                .whereLayer("rules").mayOnlyAccessLayers("engine", "policy", "json")
                .whereLayer("adapters").mayOnlyAccessLayers("engine", "policy", "json")
                .whereLayer("rules").mayOnlyBeAccessedByLayers("top")
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
        try (Stream<Path> files = Stream.of("json", "policy", "engine", "rules")
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

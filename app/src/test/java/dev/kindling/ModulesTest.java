package dev.kindling;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.core.Violations;
import org.springframework.modulith.docs.Documenter;

/**
 * The app's capabilities as Spring Modulith application modules: each top-level package under {@code dev.kindling}
 * is a module, the public types of its base package are its API (sub-packages are internal unless a
 * {@code @NamedInterface}), {@code platform} is open to all. The engine, the dataset generator and the fake Salesforce org
 * (a test dependency) are other Maven modules, so they are not application modules here.
 */
class ModulesTest {

    static final ApplicationModules MODULES = ApplicationModules.of(
            KindlingApplication.class,
            JavaClass.Predicates.resideInAnyPackage(
                    "dev.kindling.engine..", "dev.kindling.dataset..", "dev.kindling.support.."));

    static final Path DOCS = Path.of("../docs/modules");
    static final Path GENERATED = Path.of("target/modules");

    /** The fixtures are test classes, which the default import leaves out. */
    private static final ImportOption FIXTURES = location -> true;

    @Test
    void modulesFormNoCycleAndUseOnlyEachOthersApi() {
        MODULES.verify();
    }

    /** The check itself, on fixture packages outside the app: a cycle between two modules fails it. */
    @Test
    void aCycleBetweenModulesFailsTheCheck() {
        assertThatThrownBy(() -> ApplicationModules.of("fixtures.modules.cycle", FIXTURES)
                        .verify())
                .isInstanceOf(Violations.class)
                .hasMessageContaining("Cycle detected");
    }

    /** A module using a type of another module's sub-package (not exposed as a named interface) fails it. */
    @Test
    void anInternalTypeUsedFromAnotherModuleFailsTheCheck() {
        assertThatThrownBy(() -> ApplicationModules.of("fixtures.modules.internal", FIXTURES)
                        .verify())
                .isInstanceOf(Violations.class)
                .hasMessageContaining("non-exposed type fixtures.modules.internal.b.hidden.Ledger");
    }

    /**
     * The Documenter lists a module's components, references and events in a different order on each run, so it
     * writes into {@code target/} and a file in {@code docs/modules} is replaced only when its lines changed, not
     * merely their order: a run leaves the committed diagrams as they are unless the modules changed.
     */
    @Test
    void theModuleDiagramIsWrittenToTheDocs() throws IOException {
        new Documenter(MODULES, Documenter.Options.defaults().withOutputFolder(GENERATED.toString()))
                .writeModulesAsPlantUml()
                .writeIndividualModulesAsPlantUml()
                .writeModuleCanvases();
        Files.createDirectories(DOCS);
        Set<Path> written = files(GENERATED);
        for (Path name : written) {
            Path source = GENERATED.resolve(name);
            Path target = DOCS.resolve(name);
            if (!Files.exists(target) || !sortedLines(source).equals(sortedLines(target))) {
                Files.copy(source, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        for (Path stale : files(DOCS)) {
            if (!written.contains(stale)) {
                Files.delete(DOCS.resolve(stale));
            }
        }
    }

    private static Set<Path> files(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(Files::isRegularFile).map(Path::getFileName).collect(Collectors.toSet());
        }
    }

    private static List<String> sortedLines(Path file) throws IOException {
        return Files.readAllLines(file).stream().sorted().toList();
    }
}

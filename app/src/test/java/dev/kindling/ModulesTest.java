package dev.kindling;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.core.Violations;
import org.springframework.modulith.docs.Documenter;

/**
 * The app's capabilities as Spring Modulith application modules: each top-level package under {@code dev.kindling}
 * is a module, the public types of its base package are its API (sub-packages are internal unless a
 * {@code @NamedInterface}), {@code platform} is open to all. The engine, the dataset generator and the fake Salesforce org
 * (a test dependency) are other Maven modules, so they are not application modules here.
 *
 * <p>The class imports the classes once ({@link #MODULES}); its tests then run side by side (the check, the two
 * checks of the check, the diagrams), so that the unit tests' longest class does not hold one core alone at the end
 * of the phase (docs/testing.md).
 */
@Execution(ExecutionMode.CONCURRENT)
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
    void theModuleDiagramIsWrittenToTheDocs() throws Exception {
        writeDiagrams();
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

    /**
     * The overview, the modules' diagrams and their canvases, each by a {@code Documenter} of its own on a thread of its
     * own (a {@code Documenter} is not safe for threads; the modules are only read): the same files as one
     * {@code Documenter} writing them one after another, in the time of the longest (the modules' diagrams, about half
     * of the three's) when cores are free.
     */
    private static void writeDiagrams() throws IOException, InterruptedException, ExecutionException {
        if (Files.exists(GENERATED)) {
            for (Path name : files(GENERATED)) {
                Files.delete(GENERATED.resolve(name));
            }
        }
        Documenter.Options options = Documenter.Options.defaults()
                .withOutputFolder(GENERATED.toString())
                .withoutClean();
        List<Consumer<Documenter>> writes = List.of(
                Documenter::writeModulesAsPlantUml,
                Documenter::writeIndividualModulesAsPlantUml,
                Documenter::writeModuleCanvases);
        try (ExecutorService threads = Executors.newFixedThreadPool(writes.size())) {
            List<Future<?>> written = writes.stream()
                    .map(write -> threads.submit(() -> write.accept(new Documenter(MODULES, options))))
                    .collect(Collectors.toList());
            for (Future<?> done : written) {
                done.get();
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

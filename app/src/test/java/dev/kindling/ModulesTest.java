package dev.kindling;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.core.Violations;
import org.springframework.modulith.docs.Documenter;

/**
 * The app's capabilities as Spring Modulith application modules: each top-level package under {@code dev.kindling}
 * is a module, the public types of its base package are its API (sub-packages are internal unless a
 * {@code @NamedInterface}), {@code platform} is open to all. The engine and the dataset generator are other Maven
 * modules, checked by their own tests, so they are not application modules here.
 */
class ModulesTest {

    static final ApplicationModules MODULES = ApplicationModules.of(
            KindlingApplication.class,
            JavaClass.Predicates.resideInAnyPackage("dev.kindling.engine..", "dev.kindling.dataset.."));

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

    @Test
    void theModuleDiagramIsWrittenToTheDocs() {
        new Documenter(MODULES, Documenter.Options.defaults().withOutputFolder("../docs/modules"))
                .writeModulesAsPlantUml()
                .writeIndividualModulesAsPlantUml()
                .writeModuleCanvases();
    }
}

package dev.kindling;

import com.tngtech.archunit.core.domain.JavaClass;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
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

    @Test
    void modulesFormNoCycleAndUseOnlyEachOthersApi() {
        MODULES.verify();
    }

    @Test
    void theModuleDiagramIsWrittenToTheDocs() {
        new Documenter(MODULES, Documenter.Options.defaults().withOutputFolder("../docs/modules"))
                .writeModulesAsPlantUml()
                .writeIndividualModulesAsPlantUml()
                .writeModuleCanvases();
    }
}

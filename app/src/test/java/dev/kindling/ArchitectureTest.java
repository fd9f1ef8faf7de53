package dev.kindling;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Package and naming rules of the app: package by capability, no layer packages, names that say what things are, the
 * engine free of the app. The module boundaries themselves (no cycles, only each other's API) are {@link ModulesTest};
 * table ownership is {@link TableOwnershipTest}.
 */
class ArchitectureTest {

    /**
     * Imported once for the class: each import of the whole classpath's {@code dev.kindling} takes seconds. The classes
     * they use outside it (Spring's, the JDK's) are not imported too (ArchUnit's {@code
     * resolveMissingDependenciesFromClassPath}, off for this import only: {@code ModulesTest}'s, beside it, needs them):
     * the rules read only the names of the packages depended on, which the import records either way.
     */
    private static final JavaClasses app = ArchConfiguration.withThreadLocalScope((ArchConfiguration configuration) -> {
        configuration.setResolveMissingDependenciesFromClassPath(false);
        return new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.kindling");
    });

    @Test
    void thereAreNoLayerPackagesOnlyCapabilities() {
        noClasses()
                .should()
                .resideInAnyPackage(
                        "..controller..",
                        "..controllers..",
                        "..service..",
                        "..services..",
                        "..repository..",
                        "..util..",
                        "..utils..",
                        "..scheduler..",
                        "..helper..")
                .check(app);
    }

    @Test
    void namesSayWhatThingsAre() {
        noClasses()
                .should()
                .haveSimpleNameEndingWith("Impl")
                .orShould()
                .haveSimpleNameEndingWith("Manager")
                .orShould()
                .haveSimpleNameEndingWith("Helper")
                .orShould()
                .haveSimpleNameEndingWith("Util")
                .orShould()
                .haveSimpleNameEndingWith("Utils")
                .check(app);
    }

    @Test
    void theEngineKnowsNothingOfTheApp() {
        classes()
                .that()
                .resideInAPackage("dev.kindling.engine..")
                .should()
                .onlyDependOnClassesThat()
                .resideOutsideOfPackages(
                        "org.springframework..", "tools.jackson..", "com.fasterxml..", "java.sql..", "javax.sql..")
                .check(app);
    }
}

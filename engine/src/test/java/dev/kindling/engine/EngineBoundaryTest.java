package dev.kindling.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The engine is plain Java: it may use the JDK and itself, nothing else (no Spring, JDBC, Jackson, HTTP). */
class EngineBoundaryTest {

    /** Imported once for the class (an instance field was imported again for each of the three tests). */
    private static final JavaClasses engine = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.kindling.engine");

    @Test
    void engineDependsOnlyOnTheJdkAndItself() {
        classes()
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage(
                        "dev.kindling.engine..",
                        "java.lang..",
                        "java.util..",
                        "java.time..",
                        "java.math..",
                        "java.text..",
                        "java.io..",
                        "java.nio.charset..",
                        "java.security..")
                .check(engine);
    }

    @Test
    void engineNeverTouchesJdbcOrTheNetwork() {
        classes()
                .should()
                .onlyDependOnClassesThat()
                .resideOutsideOfPackages("java.sql..", "javax.sql..", "java.net..", "java.net.http..")
                .check(engine);
    }

    @Test
    void engineNeverReadsTheSystemClock() {
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses()
                .should()
                .callMethod(java.time.Instant.class, "now")
                .orShould()
                .callMethod(System.class, "currentTimeMillis")
                .orShould()
                .callMethod(java.time.Clock.class, "systemUTC")
                .check(engine);
    }
}

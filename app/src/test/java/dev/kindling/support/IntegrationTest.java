package dev.kindling.support;

import dev.kindling.KindlingApplication;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;

/**
 * The whole app on a random port against the shared test PostgreSQL, with a known admin API key
 * ({@link TestApi#ADMIN_KEY}) and password. All such tests share one Spring context.
 *
 * <p>Their classes run at the same time as each other (each test makes its own uniquely named data), sharing
 * {@link #SHARED_DATA}; a class that changes what the others depend on (a global setting, the default grading profile)
 * or counts what the others add (all lists, all rules, the intake's queue) holds it alone with
 * {@code @ResourceLock(IntegrationTest.SHARED_DATA)}, and runs with no other class of this context (docs/testing.md).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(
        // named, not searched for: Spring Boot's search read the class files of each test class's package and
        // every package above it (docs/testing.md)
        classes = KindlingApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "kindling.admin.api-key=" + TestApi.ADMIN_KEY,
            "kindling.admin.password=" + TestApi.ADMIN_PASSWORD,
            // BCrypt at its least cost: at the default (10) the tests' sign-ins and new users took a fifth of the
            // test JVM's CPU (docs/testing.md); the packaged app's tests run the default
            "kindling.security.password-cost=4",
            "kindling.public-url=" + TestApi.PUBLIC_URL,
            // the WebhookReceiver listens on loopback, which webhooks may only call when an admin allows it
            "kindling.outbound.allowed-hosts=127.0.0.1",
            "kindling.data-dir=${java.io.tmpdir}/kindling-test-data"
        })
@ContextConfiguration(initializers = TestDatabaseConfiguration.class)
@ResourceLock(value = IntegrationTest.SHARED_DATA, mode = ResourceAccessMode.READ)
public @interface IntegrationTest {

    /** The shared context's database and settings, read by every class of the context and held alone by a few. */
    String SHARED_DATA = "kindling.shared-context";

    /**
     * The lock of the few classes that hold no state in the test JVM (the packaged app in child processes, the demo in
     * a context and database of its own) and so run beside the shared contexts' classes, one at a time, with
     * {@code @Execution(CONCURRENT) @ResourceLock(IntegrationTest.BESIDE)}; see docs/testing.md.
     */
    String BESIDE = "kindling.beside-the-shared-contexts";
}

package dev.kindling.support;

import dev.kindling.KindlingApplication;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.TestExecutionListeners;

/**
 * The whole app on a random port with a clock the test moves: the {@link MutableClock} of
 * {@link MovingClockConfiguration} is the {@code @Primary} {@link java.time.Clock}, set to {@link #start()} before the
 * class runs. Inject it as {@code MutableClock}.
 *
 * <p>All such classes share one context, on a database of its own (created empty for it): the shared context of
 * {@link IntegrationTest} keeps running meanwhile with the real clock, and on a shared database its intake worker,
 * decay and inactivity jobs would take this context's rows at the real time (an activity processed in 2026 by a test
 * living in 2033), so a moved-clock test could not say exactly when anything happened. Before each class,
 * {@link MovingClockReset} puts the database back to its state right after the context started, sets the clock and
 * forgets cached settings and rate limits, so each class starts as on a fresh app. The program sweeper, the
 * inactivity job, the SLA check and the A/B winner job have no timer here: the tests run them when they mean to.
 *
 * <p>A class that needs other properties ({@code @TestPropertySource}, {@code @DynamicPropertySource}) still works:
 * it gets a context of its own, closed after the class (a start set with the property
 * {@value MovingClockConfiguration#START} is honoured) — but prefer the shared one.
 *
 * <p>The classes run one at a time ({@link #CONTEXT}: each resets the one database and clock), beside the classes of
 * {@link IntegrationTest}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
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
            // no public URL from the environment: MovingClockReset saves TestApi.PUBLIC_URL as the admin's setting
            // before each class, and a class may remove it or save another (EmailDeliveryIT)
            // the WebhookReceiver listens on loopback, which webhooks may only call when an admin allows it
            "kindling.outbound.allowed-hosts=127.0.0.1",
            "kindling.data-dir=${java.io.tmpdir}/kindling-test-moving-clock-data",
            "kindling.programs.sweep-interval=0s",
            "kindling.lifecycle.inactivity-interval=0s",
            "kindling.sales.sla-check-interval=0s",
            "kindling.email.ab-interval=0s",
            "kindling.email.unsubscribe-mailbox=" + MovingClockConfiguration.UNSUBSCRIBE_MAILBOX,
            "kindling.email.bounce-webhook-secret=" + MovingClockConfiguration.BOUNCE_WEBHOOK_SECRET,
            // mail goes to TestSmtp.movingClock(); the outboxes look for due mail and webhooks every 100 ms
            "kindling.mail.poll-interval=PT0.1S",
            "kindling.automation.webhook.poll-interval=PT0.1S"
        })
@Import(MovingClockConfiguration.class)
@ContextConfiguration(initializers = MovingClockConfiguration.OwnDatabaseAndSmtp.class)
@ResourceLock(MovingClockTest.CONTEXT)
@TestExecutionListeners(
        listeners = MovingClockReset.class,
        mergeMode = TestExecutionListeners.MergeMode.MERGE_WITH_DEFAULTS)
public @interface MovingClockTest {

    /** The moving-clock context, its database, clock and SMTP server: held by one class at a time. */
    String CONTEXT = "kindling.moving-clock-context";

    /** The clock's first instant for the class (ISO-8601). */
    String start() default MovingClockConfiguration.DEFAULT_START;
}

package dev.kindling.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The whole app on a random port with a clock the test moves: the {@link MutableClock} of
 * {@link MovingClockConfiguration} is the {@code @Primary} {@link java.time.Clock}, starting at the property
 * {@value MovingClockConfiguration#START} (set it with {@code @TestPropertySource} on the test class; it defaults to
 * {@link MovingClockConfiguration#DEFAULT_START}). Inject it as {@code MutableClock}.
 *
 * <p>Such a context runs on a database of its own, created empty for it, and is closed after the class. The shared
 * context of {@link IntegrationTest} keeps running meanwhile with the real clock: on a shared database its intake
 * worker, decay and inactivity jobs would take this context's rows at the real time (an activity processed in 2026
 * by a test living in 2033), so a moved-clock test could not say exactly when anything happened.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "kindling.admin.api-key=" + TestApi.ADMIN_KEY,
        "kindling.admin.password=" + TestApi.ADMIN_PASSWORD,
        "kindling.public-url=" + TestApi.PUBLIC_URL,
        // the WebhookReceiver listens on loopback, which webhooks may only call when an admin allows it
        "kindling.outbound.allowed-hosts=127.0.0.1",
        "kindling.data-dir=${java.io.tmpdir}/kindling-test-moving-clock-data"})
@Import(MovingClockConfiguration.class)
@DirtiesContext
public @interface MovingClockTest {
}

package dev.kindling.support;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * What {@link MovingClockTest} adds to the app: the {@code @Primary} {@link MutableClock}, a database of the context's
 * own (an empty one on the shared test PostgreSQL, migrated by the app as it starts) and an SMTP server to send to
 * ({@link TestSmtp#movingClock()}).
 */
@TestConfiguration(proxyBeanMethods = false)
public class MovingClockConfiguration {

    /** The property holding the clock's first instant (ISO-8601). */
    public static final String START = "kindling.test.clock-start";
    /** Years ahead of the real clock, so nothing real is ever due at the same time. */
    public static final String DEFAULT_START = "2033-01-01T12:00:00Z";
    /** Where unsubscribe mails go ({@code kindling.email.unsubscribe-mailbox}). */
    public static final String UNSUBSCRIBE_MAILBOX = "unsubscribe@kindling.example";
    /** The secret bounce webhooks are signed with ({@code kindling.email.bounce-webhook-secret}). */
    public static final String BOUNCE_WEBHOOK_SECRET = "whsec_Ym91bmNlLXNlY3JldC1mb3ItdGVzdHMtMDEyMzQ1Njc4OQ==";

    @Bean
    @Primary
    MutableClock movingClock(@Value("${" + START + ":" + DEFAULT_START + "}") String start) {
        return new MutableClock(Instant.parse(start));
    }

    /**
     * The context's own database and the shared moving-clock SMTP server, in the environment before the refresh (see
     * {@link TestDatabaseConfiguration} for why not a {@code DynamicPropertyRegistrar} bean).
     */
    public static class OwnDatabaseAndSmtp implements ApplicationContextInitializer<ConfigurableApplicationContext> {

        @Override
        public void initialize(ConfigurableApplicationContext context) {
            Map<String, Object> properties =
                    new HashMap<>(TestDatabaseConfiguration.database(TestDatabase.createMigrated("clock")));
            properties.putAll(TestSmtp.movingClock().properties());
            TestDatabaseConfiguration.addTestProperties(context, "kindling-moving-clock", properties);
        }
    }
}

package dev.kindling.support;

import java.util.Map;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;

/**
 * Points the app of {@link IntegrationTest}'s shared context at the test JVM's PostgreSQL ({@link TestDatabase}).
 *
 * <p>The database settings must be in the environment before the context refreshes, as an initializer puts them, not
 * from a {@code DynamicPropertyRegistrar} bean: the web server starts during the refresh and its filters (the session
 * repository's among them) need the data source before such beans are applied, so the app would fall back to an
 * embedded PostgreSQL of its own in {@code kindling.data-dir} — one per context, on directories the contexts share.
 */
public class TestDatabaseConfiguration implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        addTestProperties(context, "kindling-test-database", database(TestDatabase.shared()));
    }

    /** The app's database settings for a database on the test JVM's PostgreSQL. */
    static Map<String, Object> database(String url) {
        return Map.of("kindling.db.url", url, "kindling.db.user", "postgres", "kindling.db.password", "postgres");
    }

    /**
     * Adds properties to the context's environment, above the application's files and below a test class's own
     * {@code @DynamicPropertySource} values (which win, e.g. a class's own SMTP server).
     */
    public static void addTestProperties(
            ConfigurableApplicationContext context, String name, Map<String, Object> properties) {
        MutablePropertySources sources = context.getEnvironment().getPropertySources();
        MapPropertySource source = new MapPropertySource(name, properties);
        String dynamic = "Dynamic Test Properties";
        if (sources.contains(dynamic)) {
            sources.addAfter(dynamic, source);
        } else {
            sources.addFirst(source);
        }
    }
}

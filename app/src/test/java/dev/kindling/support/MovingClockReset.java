package dev.kindling.support;

import dev.kindling.capture.CaptureRateLimits;
import dev.kindling.intake.IntakeBatchSize;
import dev.kindling.platform.outbound.PublicUrl;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.context.ApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.test.annotation.DirtiesContext.HierarchyMode;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.support.AbstractTestExecutionListener;
import org.springframework.test.util.AopTestUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Gives each {@link MovingClockTest} class the app as if just started for it, in the one context all of them share:
 * before the class, the clock is set to the class's start, the database goes back to what it held right after the
 * context started (every table emptied and refilled from a snapshot taken then, in one transaction), the public URL
 * {@link TestApi#PUBLIC_URL} is saved as an admin's setting (the context has none from the environment, so a class
 * may remove it), the app's cached settings are dropped so they are read again, the capture rate limits forget
 * every client and the intake's batch size is the configured one again.
 *
 * <p>A class with properties of its own ({@code @TestPropertySource}, {@code @DynamicPropertySource}) gets a context
 * of its own as before, closed after the class.
 */
public class MovingClockReset extends AbstractTestExecutionListener {

    private static final String SNAPSHOT = "kindling_test_snapshot";

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 100;
    }

    @Override
    public void beforeTestClass(TestContext testContext) throws Exception {
        ApplicationContext context = testContext.getApplicationContext();
        MutableClock clock = context.getBean(MutableClock.class);
        clock.set(start(testContext.getTestClass(), context));
        restoreDatabase(context.getBean(DataSource.class));
        context.getBean(PublicUrl.class).set(TestApi.PUBLIC_URL);
        dropCachedSettings(context);
        context.getBean(CaptureRateLimits.class).reset();
        context.getBean(IntakeBatchSize.class).reset();
    }

    @Override
    public void afterTestClass(TestContext testContext) {
        if (hasOwnProperties(testContext.getTestClass())) {
            testContext.markApplicationContextDirty(HierarchyMode.EXHAUSTIVE);
        }
    }

    private static Instant start(Class<?> testClass, ApplicationContext context) {
        MovingClockTest test = AnnotatedElementUtils.findMergedAnnotation(testClass, MovingClockTest.class);
        String start = test == null ? MovingClockConfiguration.DEFAULT_START : test.start();
        if (start.equals(MovingClockConfiguration.DEFAULT_START)) {
            start = context.getEnvironment().getProperty(MovingClockConfiguration.START, start);
        }
        return Instant.parse(start);
    }

    private static boolean hasOwnProperties(Class<?> testClass) {
        if (MergedAnnotations.from(testClass, MergedAnnotations.SearchStrategy.TYPE_HIERARCHY)
                .isPresent(TestPropertySource.class)) {
            return true;
        }
        for (Class<?> type = testClass; type != null && type != Object.class; type = type.getSuperclass()) {
            for (var method : type.getDeclaredMethods()) {
                if (method.isAnnotationPresent(DynamicPropertySource.class)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The first call snapshots every table; each later one truncates them all and copies the snapshot back. */
    static void restoreDatabase(DataSource dataSource) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                try (Statement statement = connection.createStatement()) {
                    restore(connection, statement);
                    connection.commit();
                    return;
                } catch (SQLException e) {
                    connection.rollback();
                    // a background job of the app may hold a lock the truncation waits for: try again
                    if (attempt == 5 || !("40P01".equals(e.getSQLState()) || "55P03".equals(e.getSQLState()))) {
                        throw e;
                    }
                }
            }
        }
    }

    private static void restore(Connection connection, Statement statement) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (ResultSet rs = statement.executeQuery("""
                SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
                   AND c.relname <> 'flyway_schema_history'
                 ORDER BY c.relname""")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        boolean taken;
        try (ResultSet rs =
                statement.executeQuery("SELECT count(*) FROM pg_namespace WHERE nspname = '" + SNAPSHOT + "'")) {
            rs.next();
            taken = rs.getLong(1) > 0;
        }
        if (!taken) {
            statement.execute("CREATE SCHEMA " + SNAPSHOT);
            for (String table : tables) {
                statement.execute("CREATE TABLE " + SNAPSHOT + ".\"" + table + "\" AS TABLE public.\"" + table + "\"");
            }
            return;
        }
        statement.execute("SET LOCAL lock_timeout = '10s'");
        // no foreign key or other trigger fires while the rows go back in
        statement.execute("SET LOCAL session_replication_role = replica");
        statement.execute("TRUNCATE "
                + String.join(
                        ", ", tables.stream().map(t -> "public.\"" + t + "\"").toList()));
        for (String table : tables) {
            List<String> columns = new ArrayList<>();
            try (var columnsOf = connection.prepareStatement("""
                    SELECT column_name FROM information_schema.columns
                     WHERE table_schema = 'public' AND table_name = ? AND is_generated = 'NEVER'
                     ORDER BY ordinal_position""")) {
                columnsOf.setString(1, table);
                try (ResultSet rs = columnsOf.executeQuery()) {
                    while (rs.next()) {
                        columns.add("\"" + rs.getString(1) + "\"");
                    }
                }
            }
            String list = String.join(", ", columns);
            statement.execute("INSERT INTO public.\"" + table + "\" (" + list + ") OVERRIDING SYSTEM VALUE SELECT "
                    + list + " FROM " + SNAPSHOT + ".\"" + table + "\"");
        }
    }

    /** Settings the app caches in memory (fields named {@code cached}) are read from the database again. */
    private static void dropCachedSettings(ApplicationContext context) {
        for (String name : context.getBeanDefinitionNames()) {
            Class<?> type = context.getType(name);
            if (type == null || !type.getName().startsWith("dev.kindling.") || !context.isSingleton(name)) {
                continue;
            }
            Object bean = AopTestUtils.getUltimateTargetObject(context.getBean(name));
            if (!bean.getClass().getName().startsWith("dev.kindling.")) {
                continue;
            }
            ReflectionUtils.doWithFields(
                    bean.getClass(),
                    field -> {
                        ReflectionUtils.makeAccessible(field);
                        field.set(bean, null);
                    },
                    MovingClockReset::isCache);
        }
    }

    private static boolean isCache(Field field) {
        int modifiers = field.getModifiers();
        return field.getName().equals("cached")
                && Modifier.isVolatile(modifiers)
                && !Modifier.isStatic(modifiers)
                && !field.getType().isPrimitive();
    }
}

package dev.kindling.platform.database;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.lookup.AbstractRoutingDataSource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The database reports and their exports read: the read replica ({@code KINDLING_DB_READ_URL}) when one is
 * configured, answers and is at most its bound behind the primary; else the primary. A report's queries go through
 * {@link #jdbc()} (or {@link #dataSource()}); the caller runs the report in {@link #read(Supplier)}, which picks the
 * database once, runs the report in one read-only transaction there and says which it was and how current
 * ({@link ReportFreshness}) — pages show that. Outside {@code read} the same queries run on the primary: work that
 * leads to a write (the closed loop's apply) reads what it changes. Without a replica this is the primary's
 * {@link JdbcClient} and transaction manager, exactly as before. See docs/scaling.md.
 *
 * <p>The replica's pool is not a bean of its own: a second {@link DataSource} bean would turn off Spring Boot's
 * single-DataSource auto-configuration (JDBC template, Flyway, transactions) and would make the app's health
 * {@code DOWN} while the replica is, though reports then simply read the primary.
 */
public final class ReportDatabase implements AutoCloseable {

    /** Whether this thread's report reads the replica: set by {@link #read}, read by {@link Routing}. */
    private static final ThreadLocal<Boolean> ON_REPLICA = ThreadLocal.withInitial(() -> false);

    private final JdbcClient jdbc;
    private final DataSource dataSource;
    private final TransactionTemplate readOnly;
    private final ReplicaLag lag;
    private final HikariDataSource replica;
    private final Clock clock;

    private ReportDatabase(
            DataSource dataSource,
            PlatformTransactionManager transactions,
            ReplicaLag lag,
            HikariDataSource replica,
            Clock clock) {
        this.jdbc = JdbcClient.create(dataSource);
        this.dataSource = dataSource;
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
        this.lag = lag;
        this.replica = replica;
        this.clock = clock;
    }

    /** No replica: reports read the primary in the app's own transactions. */
    static ReportDatabase primaryOnly(DataSource primary, PlatformTransactionManager transactions, Clock clock) {
        return new ReportDatabase(primary, transactions, null, null, clock);
    }

    /** Reports read {@code properties}' replica while it is within its bound of {@code primary}. */
    static ReportDatabase withReplica(DataSource primary, ReadReplicaProperties properties, Clock clock) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(properties.url());
        boolean sameLogin = blank(properties.user()) && primary instanceof HikariConfig;
        config.setUsername(sameLogin ? ((HikariConfig) primary).getUsername() : properties.user());
        config.setPassword(
                blank(properties.password()) && primary instanceof HikariConfig p
                        ? p.getPassword()
                        : properties.password());
        config.setPoolName("kindling-replica");
        config.setMaximumPoolSize(8);
        config.setMinimumIdle(1);
        config.setReadOnly(true);
        // a replica that is down must not hold a report up: it is then read from the primary
        config.setConnectionTimeout(2_000);
        config.setInitializationFailTimeout(-1);
        config.addDataSourceProperty("connectTimeout", "2");
        HikariDataSource pool = new HikariDataSource(config);
        DataSource routing = new Routing(primary, pool);
        return new ReportDatabase(
                routing,
                new DataSourceTransactionManager(routing),
                new ReplicaLag(primary, pool, properties.maxLag(), clock),
                pool,
                clock);
    }

    /** The reports' queries: on the database {@link #read} picked, on the primary outside it. */
    public JdbcClient jdbc() {
        return jdbc;
    }

    /** The same as a {@link DataSource}, for a template of one's own (a cursor with a fetch size). */
    public DataSource dataSource() {
        return dataSource;
    }

    /** A read-only transaction on the reports' database (joins the one {@link #read} opened). */
    public TransactionTemplate readOnlyTransaction() {
        return readOnly;
    }

    /** A report's result and where its data came from. */
    public record Read<T>(T value, ReportFreshness freshness) {}

    /** Runs a report on the replica when it is within its bound, else on the primary, in one read-only transaction. */
    public <T> Read<T> read(Supplier<T> report) {
        ReportFreshness freshness = lag == null ? ReportFreshness.primary(clock.instant()) : lag.check();
        boolean outer = ON_REPLICA.get();
        ON_REPLICA.set(freshness.fromReplica());
        try {
            return new Read<>(readOnly.execute(status -> report.get()), freshness);
        } finally {
            ON_REPLICA.set(outer);
        }
    }

    @Override
    public void close() {
        if (replica != null) {
            replica.close();
        }
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }

    /** Spring's routing {@link DataSource}: the replica's pool inside {@link #read} when it was picked, else the primary. */
    private static final class Routing extends AbstractRoutingDataSource {

        Routing(DataSource primary, DataSource replica) {
            setTargetDataSources(Map.of(false, primary, true, replica));
            setDefaultTargetDataSource(primary);
            afterPropertiesSet();
        }

        @Override
        protected Object determineCurrentLookupKey() {
            return ON_REPLICA.get();
        }
    }
}

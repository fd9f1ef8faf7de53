package dev.kindling.platform.cluster;

import com.zaxxer.hikari.HikariDataSource;
import jakarta.annotation.PreDestroy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Configuration changes reach every instance within a second: a change {@link #announce}s its topic with PostgreSQL's
 * {@code NOTIFY} on one channel, in the transaction that made it, so the note goes out when (and only if) the change
 * commits. Each instance listens on a connection of its own (not one of the pool's) and publishes a
 * {@link ConfigurationChanged} for each note, on which its caches forget what they hold. When it starts listening, and
 * whenever it listens again after losing the connection, it publishes {@link #EVERYTHING}: notes sent meanwhile are
 * lost, so every cache forgets all.
 */
@Component
public class ConfigurationChanges {

    /** The one channel of configuration notes. */
    static final String CHANNEL = "kindling_configuration";
    /** The topic of a note that concerns every cache. */
    public static final String EVERYTHING = "*";

    private static final Logger log = LoggerFactory.getLogger(ConfigurationChanges.class);
    private static final Duration WAIT = Duration.ofMillis(250);
    private static final Duration CHECK = Duration.ofSeconds(10);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final JdbcClient jdbc;
    private final DataSource dataSource;
    private final ApplicationEventPublisher events;
    private volatile boolean running;
    private Thread thread;

    ConfigurationChanges(JdbcClient jdbc, DataSource dataSource, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.dataSource = dataSource;
        this.events = events;
    }

    /**
     * Tells every instance, this one included, that configuration of {@code topic} changed: when the caller's
     * transaction commits, or at once outside a transaction.
     */
    public void announce(String topic) {
        jdbc.sql("SELECT pg_notify(:channel, :topic)")
                .param("channel", CHANNEL)
                .param("topic", topic)
                .query()
                .listOfRows();
    }

    @EventListener(ApplicationStartedEvent.class)
    synchronized void start() {
        if (thread != null) {
            return;
        }
        running = true;
        thread = Thread.ofPlatform()
                .daemon()
                .name("kindling-configuration-changes")
                .start(this::loop);
    }

    @PreDestroy
    synchronized void stop() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.interrupt();
            thread.join(5_000);
            thread = null;
        }
    }

    private void loop() {
        while (running) {
            try (Connection connection = connect()) {
                listen(connection);
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    log.warn("Listening for configuration changes failed; listening again in {}", RETRY, e);
                }
            }
            if (running) {
                LockSupport.parkNanos(RETRY.toNanos());
            }
        }
    }

    private void listen(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("LISTEN " + CHANNEL);
        }
        events.publishEvent(new ConfigurationChanged(EVERYTHING)); // notes sent before this one are lost
        PGConnection pg = connection.unwrap(PGConnection.class);
        long checked = System.nanoTime();
        while (running) {
            PGNotification[] notes = pg.getNotifications((int) WAIT.toMillis());
            if (notes != null && notes.length > 0) {
                for (PGNotification note : notes) {
                    events.publishEvent(new ConfigurationChanged(note.getParameter()));
                }
            } else if (System.nanoTime() - checked > CHECK.toNanos()) {
                // a quiet channel says nothing about the connection: a query finds out whether it is still there
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SELECT 1");
                }
                checked = System.nanoTime();
            }
        }
    }

    private Connection connect() throws SQLException {
        HikariDataSource pool = dataSource.unwrap(HikariDataSource.class);
        return DriverManager.getConnection(pool.getJdbcUrl(), pool.getUsername(), pool.getPassword());
    }
}

package dev.kindling.platform.database;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Says at start which database Kindling uses and whether it is durable: an accepted request
 * survives a crash only with fsync and synchronous commit on, so an operator should see both.
 */
@Component
class DurabilityReport {

    private static final Logger log = LoggerFactory.getLogger(DurabilityReport.class);

    private final JdbcClient jdbc;

    DurabilityReport(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @EventListener(ApplicationReadyEvent.class)
    void report() {
        String version = jdbc.sql("SHOW server_version").query(String.class).single();
        String fsync = jdbc.sql("SHOW fsync").query(String.class).single();
        String synchronousCommit =
                jdbc.sql("SHOW synchronous_commit").query(String.class).single();
        if ("on".equals(fsync) && !"off".equals(synchronousCommit)) {
            log.info("PostgreSQL {}: fsync={}, synchronous_commit={}", version, fsync, synchronousCommit);
        } else {
            log.warn(
                    "PostgreSQL {}: fsync={}, synchronous_commit={} — accepted data may be lost in a crash",
                    version,
                    fsync,
                    synchronousCommit);
        }
    }
}

package dev.kindling.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DemoDataIT {

    private static final Instant NOW = Instant.parse("2026-11-01T09:00:00Z");

    private static EmbeddedPostgres postgres;
    private static DataSource dataSource;

    @BeforeAll
    static void startDatabase() throws Exception {
        postgres = EmbeddedPostgres.builder().setLocaleConfig("locale", "C.UTF-8").start();
        dataSource = postgres.getPostgresDatabase();
        Flyway.configure().dataSource(dataSource).load().migrate();
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        postgres.close();
    }

    @Test
    void loadsOneYearOfDemoDataOnceAndQueuesItsActivitiesForTheIntake() throws SQLException {
        DemoData demo = new DemoData(dataSource, Clock.fixed(NOW, ZoneOffset.UTC), true);

        assertThat(demo.load()).isTrue();
        assertThat(demo.load()).isFalse();

        assertThat(count("SELECT count(*) FROM prospect WHERE stage = 'CAPTURED'")).isEqualTo(3_000);
        assertThat(count("SELECT count(*) FROM stage_transition WHERE cause = 'import:demo'")).isEqualTo(3_000);
        assertThat(count("SELECT count(*) FROM stage_reached")).isEqualTo(3_000);
        assertThat(count("SELECT count(*) FROM account")).isPositive();
        assertThat(count("SELECT count(*) FROM campaign")).isPositive();
        assertThat(count("SELECT count(*) FROM activity WHERE processed_at IS NULL AND received_at = '"
                + NOW + "' AND occurred_at < '" + NOW + "' AND occurred_at >= '2025-11-01T09:00:00Z'"))
                .isEqualTo(80_000);
    }

    private static long count(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }
}

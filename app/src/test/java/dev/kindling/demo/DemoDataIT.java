package dev.kindling.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.kindling.prospects.ProspectsChanged;
import dev.kindling.support.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

class DemoDataIT {

    private static final Instant NOW = Instant.parse("2026-11-01T09:00:00Z");

    private static HikariDataSource dataSource;

    @BeforeAll
    static void startDatabase() throws Exception {
        dataSource = TestDatabase.ownMigratedDataSource("demo_data");
    }

    @AfterAll
    static void stopDatabase() {
        dataSource.close();
    }

    @Test
    void loadsOneYearOfDemoDataOnceAndQueuesItsActivitiesForTheIntake() throws SQLException {
        List<Object> published = new ArrayList<>();
        DemoData demo = new DemoData(
                dataSource,
                new DataSourceTransactionManager(dataSource),
                published::add,
                Clock.fixed(NOW, ZoneOffset.UTC),
                true);

        assertThat(demo.load()).isTrue();
        assertThat(demo.load()).isFalse();

        assertThat(count("SELECT count(*) FROM prospect WHERE stage = 'CAPTURED'"))
                .isEqualTo(3_000);
        assertThat(count("SELECT count(*) FROM stage_transition WHERE cause = 'import:demo'"))
                .isEqualTo(3_000);
        assertThat(count("SELECT count(*) FROM stage_reached")).isEqualTo(3_000);
        assertThat(count("SELECT count(*) FROM account")).isPositive();
        assertThat(count("SELECT count(*) FROM campaign")).isPositive();
        // queued as the app's accept stores an activity naming its prospect: processed_at set, in the queue
        assertThat(count("SELECT count(*) FROM activity a JOIN activity_queue q ON q.activity_id = a.id"
                        + " WHERE a.processed_at = '" + NOW + "' AND a.received_at = '" + NOW + "'"
                        + " AND a.prospect_id IS NOT NULL AND q.prospect_id = a.prospect_id AND q.email IS NULL"
                        + " AND a.occurred_at < '" + NOW + "' AND a.occurred_at >= '2025-11-01T09:00:00Z'"))
                .isEqualTo(80_000);
        assertThat(published)
                .as("the new prospects are announced, so they are graded and meet the capture policies")
                .singleElement()
                .isInstanceOfSatisfying(
                        ProspectsChanged.class,
                        changed -> assertThat(changed.ids()).hasSize(3_000));
    }

    private static long count(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }
}

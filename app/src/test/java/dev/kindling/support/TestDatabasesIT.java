package dev.kindling.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.kindling.platform.database.EmbeddedDatabase;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The test contexts run on the test JVM's PostgreSQL ({@link TestDatabase}), never on an embedded server of the app's
 * own: two contexts with the same {@code kindling.data-dir} would each start one there, and the second would stop the
 * first's as "left running by an earlier instance" (what {@link TestDatabaseConfiguration} prevents).
 */
class TestDatabasesIT {

    private static String server(String jdbcUrl) {
        return jdbcUrl.substring(0, jdbcUrl.lastIndexOf('/') + 1);
    }

    @Nested
    @IntegrationTest
    class TheSharedContext {

        @Autowired
        HikariDataSource dataSource;

        @Autowired
        ObjectProvider<EmbeddedDatabase> embedded;

        @Test
        void usesTheTestDatabase() {
            assertThat(dataSource.getJdbcUrl()).isEqualTo(TestDatabase.shared());
            assertThat(server(dataSource.getJdbcUrl())).isEqualTo(server(TestDatabase.url()));
            assertThat(embedded.getIfAvailable())
                    .as("no embedded server of the app's own")
                    .isNull();
        }
    }

    @Nested
    @MovingClockTest
    class TheMovingClockContext {

        @Autowired
        HikariDataSource dataSource;

        @Autowired
        ObjectProvider<EmbeddedDatabase> embedded;

        @Test
        void usesADatabaseOfItsOwnOnTheTestServer() {
            assertThat(server(dataSource.getJdbcUrl())).isEqualTo(server(TestDatabase.url()));
            assertThat(dataSource.getJdbcUrl()).contains("/clock_");
            assertThat(embedded.getIfAvailable())
                    .as("no embedded server of the app's own")
                    .isNull();
        }
    }
}

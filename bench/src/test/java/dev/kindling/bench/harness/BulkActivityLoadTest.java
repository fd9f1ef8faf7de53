package dev.kindling.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.dataset.Dataset;
import dev.kindling.dataset.DatasetSize;
import dev.kindling.dataset.load.ActivityRows;
import dev.kindling.dataset.load.DatasetCopy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The bulk load of W7 at M on XS: every row, its key, its month's partition, and the schema restored as it was. */
class BulkActivityLoadTest {

    private static final Instant NOW = Instant.parse("2026-11-01T00:00:00Z");
    private static final Dataset XS = Dataset.of(DatasetSize.XS, 42, NOW);

    private static MigratedDatabase database;
    private static Connection connection;
    private static String schemaBefore;
    private static long copied;

    @BeforeAll
    static void load() throws Exception {
        database = MigratedDatabase.create();
        connection = database.connect();
        DatasetCopy copy = new DatasetCopy(connection);
        long[] campaigns = copy.copyCampaigns(XS.campaigns(), NOW);
        long[] accounts = copy.copyAccounts(XS, NOW);
        long[] prospects = copy.copyProspects(XS, accounts, campaigns, "import:test");
        schemaBefore = schema();
        copied = BulkActivityLoad.copy(
                XS.activities(),
                new ActivityRows("", prospects, campaigns, NOW, NOW),
                XS.periodStart(),
                XS.periodEnd(),
                connection,
                database::connect,
                2);
    }

    @AfterAll
    static void stop() throws SQLException {
        connection.close();
        database.close();
    }

    @Test
    void loadsEveryActivityWithItsKeyIntoThePartitionOfItsMonth() throws SQLException {
        assertThat(copied).isEqualTo(20_000);
        assertThat(count("SELECT count(*) FROM activity_key k JOIN activity a USING (external_id, occurred_at)"))
                .isEqualTo(20_000);
        assertThat(count("SELECT count(*) FROM activity_default")).isZero();
        assertThat(count("""
                        SELECT count(*) FROM activity a JOIN activity_partitions p ON p.name = a.tableoid::regclass::text
                         WHERE a.occurred_at >= p.lower AND a.occurred_at < p.upper""")).isEqualTo(20_000);
    }

    @Test
    void leavesTheKeysIndexesAndConstraintsAsTheMigrationsMadeThem() throws SQLException {
        assertThat(schema()).isEqualTo(schemaBefore);
        assertThat(count("SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid"
                        + " WHERE c.relname LIKE 'activity%' AND NOT i.indisvalid"))
                .isZero();
    }

    /** activity's and activity_key's indexes and constraints, as the migrations define them. */
    private static String schema() throws SQLException {
        return text("""
                SELECT string_agg(d, E'\\n' ORDER BY d) FROM (
                    SELECT pg_get_indexdef(indexrelid) AS d FROM pg_index
                     WHERE indrelid IN ('activity'::regclass, 'activity_key'::regclass)
                    UNION ALL
                    SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
                     WHERE conrelid IN ('activity'::regclass, 'activity_key'::regclass)) x""");
    }

    private static long count(String sql) throws SQLException {
        return Long.parseLong(text(sql));
    }

    private static String text(String sql) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getString(1);
        }
    }
}

package dev.kindling.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.dataset.Dataset;
import dev.kindling.dataset.DatasetSize;
import dev.kindling.dataset.load.DatasetCopy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A setup's statistics ({@link BenchDatabase#analyzeLoaded}): the tables it wrote are analyzed, the months' partitions of the history stay never
 * analyzed, as the app's partition job makes them (an {@code ANALYZE} now would record them as empty).
 */
class AnalyzeLoadedTest {

    private static final Instant END = Instant.parse("2026-11-01T00:00:00Z");

    @Test
    void theProspectsAreAnalyzedAndTheEmptyHistoryPartitionsAreNot() throws Exception {
        Dataset dataset = Dataset.of(DatasetSize.XS, 42, END);
        try (MigratedDatabase database = MigratedDatabase.create();
                Connection connection = database.connect()) {
            DatasetCopy copy = new DatasetCopy(connection);
            long[] campaignIds = copy.copyCampaigns(dataset.campaigns(), END);
            copy.copyProspects(dataset, copy.copyAccounts(dataset, END), campaignIds, "t");
            copy.coverActivityMonths(dataset.periodStart(), dataset.periodEnd());

            BenchDatabase.analyzeLoaded(connection);

            Map<String, Double> reltuples = new HashMap<>();
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("""
                            SELECT c.relname, c.reltuples FROM pg_class c
                             WHERE c.relkind = 'r' AND (c.relname = 'prospect' OR c.relispartition)""")) {
                while (rows.next()) {
                    reltuples.put(rows.getString(1), rows.getDouble(2));
                }
            }
            assertThat(reltuples.get("prospect"))
                    .isEqualTo((double) dataset.size().prospects());
            Map<String, Double> partitions = new HashMap<>(reltuples);
            partitions.remove("prospect");
            assertThat(partitions.keySet())
                    .as("the months' partitions")
                    .contains("activity_p202610")
                    .anyMatch(name -> name.startsWith("score_ledger_p"));
            assertThat(partitions.values()).as("never analyzed").containsOnly(-1.0);
        }
    }
}

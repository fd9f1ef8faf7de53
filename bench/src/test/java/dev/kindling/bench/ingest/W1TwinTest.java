package dev.kindling.bench.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.bench.harness.MachineFacts;
import dev.kindling.bench.harness.MigratedDatabase;
import dev.kindling.dataset.Dataset;
import dev.kindling.dataset.DatasetSize;
import dev.kindling.dataset.load.DatasetCopy;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class W1TwinTest {

    private static final Instant END = Instant.parse("2026-11-01T00:00:00Z");

    @Test
    void copiesTheSameActivitiesAsProcessedRowsAndRemovesThemAfterTiming() throws Exception {
        Dataset dataset = Dataset.of(DatasetSize.XS, 42, END);
        W1Ingest w1 = new W1Ingest(
                new W1Ingest.Settings(
                        DatasetSize.XS,
                        42,
                        END,
                        5_000,
                        0,
                        1,
                        1_000,
                        Path.of("unused.jar"),
                        List.of(),
                        Duration.ofMinutes(1),
                        0,
                        0,
                        0),
                new PrintStream(OutputStream.nullOutputStream()));
        try (MigratedDatabase database = MigratedDatabase.create()) {
            try (Connection connection = database.connect()) {
                DatasetCopy copy = new DatasetCopy(connection);
                long[] campaignIds = copy.copyCampaigns(dataset.campaigns(), END);
                long[] prospectIds = copy.copyProspects(dataset, copy.copyAccounts(dataset, END), campaignIds, "t");

                Duration elapsed = w1.twin(dataset, connection, prospectIds, campaignIds);

                assertThat(elapsed).isPositive();
                assertThat(count(connection, "SELECT count(*) FROM activity")).isZero();
                MachineFacts facts = MachineFacts.of(connection);
                assertThat(facts.fsync()).isEqualTo("off");
                assertThat(facts.postgresVersion()).isNotBlank();
                assertThat(facts.nproc()).isPositive();
            }
        }
    }

    private static long count(Connection connection, String sql) throws Exception {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }
}

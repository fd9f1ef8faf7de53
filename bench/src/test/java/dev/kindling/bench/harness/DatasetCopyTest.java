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

class DatasetCopyTest {

    private static final Instant NOW = Instant.parse("2026-11-01T00:00:00Z");
    private static final Dataset XS = Dataset.of(DatasetSize.XS, 42, NOW);

    private static MigratedDatabase database;
    private static Connection connection;
    private static long[] campaignIds;
    private static long[] prospectIds;

    @BeforeAll
    static void loadXs() throws Exception {
        database = MigratedDatabase.create();
        connection = database.connect();
        DatasetCopy copy = new DatasetCopy(connection);
        campaignIds = copy.copyCampaigns(XS.campaigns(), NOW);
        long[] accountIds = copy.copyAccounts(XS, NOW);
        prospectIds = copy.copyProspects(XS, accountIds, campaignIds, "import:test");
        copy.copyActivities(XS.activities(), new ActivityRows("", null, campaignIds, NOW, null));
    }

    @AfterAll
    static void stop() throws SQLException {
        connection.close();
        database.close();
    }

    @Test
    void copiesEveryCampaignAccountAndProspectWithIdsInIndexOrder() throws SQLException {
        assertThat(count("SELECT count(*) FROM campaign"))
                .isEqualTo(XS.campaigns().size());
        assertThat(count("SELECT count(*) FROM account")).isEqualTo(200);
        assertThat(count("SELECT count(*) FROM prospect")).isEqualTo(1_000);
        assertThat(text("SELECT email FROM prospect WHERE id = " + prospectIds[17]))
                .isEqualTo(XS.prospect(17).email());
    }

    @Test
    void joinsProspectsToTheirAccountUnlessTheyUseFreeMail() throws SQLException {
        assertThat(count("SELECT count(*) FROM prospect p JOIN account a ON a.id = p.account_id"
                        + " WHERE p.email NOT LIKE '%@' || a.domain"))
                .isZero();
        assertThat(count("SELECT count(*) FROM prospect WHERE account_id IS NULL"
                        + " AND (email LIKE '%@gmail.com' OR email LIKE '%@yahoo.co.jp')"))
                .isPositive();
    }

    @Test
    void recordsTheCaptureAsEachProspectsFirstStage() throws SQLException {
        assertThat(count("SELECT count(*) FROM stage_transition WHERE from_stage IS NULL AND to_stage = 'CAPTURED'"
                        + " AND cause = 'import:test'"))
                .isEqualTo(1_000);
        assertThat(count("SELECT count(*) FROM stage_transition_default"))
                .as("the transitions are in the partitions of their months")
                .isZero();
        assertThat(count("SELECT count(*) FROM stage_transition_p"
                        + java.time.format.DateTimeFormatter.ofPattern("yyyyMM")
                                .withZone(java.time.ZoneOffset.UTC)
                                .format(NOW.minusSeconds(86_400))))
                .isPositive();
        assertThat(count("SELECT count(*) FROM stage_reached s JOIN prospect p ON p.id = s.prospect_id"
                        + " WHERE s.first_entered_at = p.captured_at"))
                .isEqualTo(1_000);
    }

    @Test
    void queuesActivitiesForTheProcessorWithTheirPropertiesAsJson() throws SQLException {
        assertThat(count("SELECT count(*) FROM activity WHERE processed_at IS NULL AND prospect_id IS NULL"))
                .isEqualTo(20_000);
        assertThat(count("SELECT count(*) FROM activity_queue q JOIN activity a"
                        + " ON a.id = q.activity_id AND a.occurred_at = q.occurred_at AND a.received_at = q.received_at"
                        + " WHERE q.prospect_id IS NULL AND q.email = a.email"))
                .as("each is queued, by its email")
                .isEqualTo(20_000);
        assertThat(count("SELECT count(*) FROM activity WHERE type = 'PAGE_VIEW'"
                        + " AND properties->>'url' NOT LIKE 'https://%'"))
                .isZero();
        assertThat(count("SELECT count(*) FROM activity WHERE campaign_id IS NOT NULL"))
                .isPositive();
    }

    @Test
    void writesEachActivitysKeyAndMovesThemIntoPartitionsOfTheirMonths() throws SQLException {
        assertThat(count("SELECT count(*) FROM activity_key k JOIN activity a USING (external_id, occurred_at)"))
                .isEqualTo(20_000);
        assertThat(count("SELECT count(*) FROM activity_default")).isZero();
        assertThat(count("SELECT count(DISTINCT tableoid) FROM activity"))
                .as("a year of history: a partition a month")
                .isBetween(12L, 13L);
    }

    @Test
    void keepsJapaneseTextIntact() throws SQLException {
        assertThat(count("SELECT count(*) FROM prospect WHERE job_title IN ('部長', '課長')"))
                .isPositive();
        assertThat(count("SELECT count(*) FROM prospect WHERE last_name = '山田'"))
                .isPositive();
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

package dev.kindling.demo;

import dev.kindling.bench.dataset.Dataset;
import dev.kindling.bench.dataset.DatasetSize;
import dev.kindling.bench.load.ActivityRows;
import dev.kindling.bench.load.DatasetCopy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Loads the generated {@link DatasetSize#DEMO} dataset (fixed seed, one year ending at the
 * clock's now) when {@code kindling.demo} is true and no prospect exists yet.
 *
 * <p>Campaigns, accounts and prospects (stage CAPTURED, with their first stage transition,
 * cause {@code import:demo}) are written directly; the activities are only queued
 * ({@code processed_at} empty, received now), so the intake processor scores, grades and
 * stages them through the engine like any accepted activity. Everything is copied in one
 * transaction: an interrupted load leaves nothing, and the next start tries again.
 */
@Component
public class DemoData {

    static final long SEED = 42;

    private static final Logger log = LoggerFactory.getLogger(DemoData.class);

    private final DataSource dataSource;
    private final Clock clock;
    private final boolean enabled;

    public DemoData(DataSource dataSource, Clock clock, @Value("${kindling.demo:false}") boolean enabled) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.enabled = enabled;
    }

    /** Starts loading in the background, so the app serves requests while the data arrives. */
    @EventListener(ApplicationReadyEvent.class)
    public void loadWhenReady() {
        if (!enabled) {
            return;
        }
        Thread.ofPlatform().name("demo-data").daemon().start(() -> {
            try {
                load();
            } catch (SQLException | RuntimeException e) {
                log.error("Demo data: loading failed; nothing was kept", e);
            }
        });
    }

    /** Loads the demo data unless a prospect exists; returns whether it loaded. */
    public boolean load() throws SQLException {
        long started = System.nanoTime();
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                // Ids are read back in insertion order, so no one else may add rows meanwhile.
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LOCK TABLE campaign, account, prospect IN EXCLUSIVE MODE");
                }
                if (hasProspects(connection)) {
                    connection.rollback();
                    log.info("Demo data: prospects exist already, nothing loaded");
                    return false;
                }
                Instant now = clock.instant();
                Dataset dataset = Dataset.of(DatasetSize.DEMO, SEED, now);
                log.info("Demo data: loading {} prospects and {} activities from {} to {}",
                        DatasetSize.DEMO.prospects(), DatasetSize.DEMO.activities(), dataset.periodStart(), now);
                DatasetCopy copy = new DatasetCopy(connection);
                long[] campaignIds = copy.copyCampaigns(dataset.campaigns(), now);
                long[] accountIds = copy.copyAccounts(dataset, now);
                long[] prospectIds = copy.copyProspects(dataset, accountIds, campaignIds, "import:demo");
                log.info("Demo data: {} campaigns, {} accounts, {} prospects copied", campaignIds.length,
                        accountIds.length, prospectIds.length);
                long activities = copy.copyActivities(dataset.activities(),
                        new ActivityRows("demo-", prospectIds, campaignIds, now, null));
                connection.commit();
                log.info("Demo data: {} activities queued for processing; loaded in {} ms", activities,
                        (System.nanoTime() - started) / 1_000_000);
                return true;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        }
    }

    private static boolean hasProspects(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT EXISTS (SELECT 1 FROM prospect)")) {
            result.next();
            return result.getBoolean(1);
        }
    }
}

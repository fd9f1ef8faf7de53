package dev.kindling.demo;

import dev.kindling.dataset.Dataset;
import dev.kindling.dataset.DatasetSize;
import dev.kindling.dataset.GeneratedActivity;
import dev.kindling.dataset.load.ActivityRows;
import dev.kindling.dataset.load.DatasetCopy;
import dev.kindling.prospects.ProspectsChanged;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Loads the generated {@link DatasetSize#DEMO} dataset (fixed seed, one year ending at the
 * clock's now) when {@code kindling.demo} is true and no prospect exists yet.
 *
 * <p>Campaigns, accounts and prospects (stage CAPTURED, with their first stage transition,
 * cause {@code import:demo}, at their back-dated capture) are written directly, then announced as
 * {@link ProspectsChanged} in the same transaction, so they are graded and meet the capture policies
 * (free mail → DISQUALIFIED, dated at the capture; the first inactivity check) like any new prospect.
 * The activities are only queued (received now, in the intake's queue; as the app's accept stores an activity naming
 * its prospect, with {@code processed_at} set, so that intake does not write its row again), so the intake
 * processor scores and stages them through the engine like any accepted activity — dated when they
 * happened, which gives the demo a year of funnel history. With {@link DemoHistory}, the same transaction also
 * records a year of weekly newsletters (the email activities name their issue) and of website visitors, a quarter of
 * the prospects among them, identified at their capture. Everything is written in one
 * transaction: an interrupted load leaves nothing, and the next start tries again; nothing is
 * processed before the prospects are graded.
 */
@Component
public class DemoData implements dev.kindling.platform.security.StartNote {

    static final long SEED = 42;

    private static final Logger log = LoggerFactory.getLogger(DemoData.class);

    private final DataSource dataSource;
    private final TransactionTemplate transactions;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final boolean enabled;
    private final dev.kindling.assignment.DemoTeam demoTeam;
    private final DemoSales demoSales;
    private final DemoSetup demoSetup;
    private final DemoHistory demoHistory;

    public DemoData(
            DataSource dataSource,
            PlatformTransactionManager transactions,
            ApplicationEventPublisher events,
            Clock clock,
            @Value("${kindling.demo:false}") boolean enabled) {
        this(dataSource, transactions, events, clock, enabled, null, null, null, null);
    }

    /**
     * With the demo's sales team ({@code demoTeam}, null: prospects only) and its sales history ({@code demoSales},
     * written once intake has processed the demo; null: none) and its configured team ({@code demoSetup}: lists,
     * rules, emails, programs, a form, a link and visitors, set up after the sales history; null: none) and its year of
     * newsletters and website visitors ({@code demoHistory}, written in the load transaction; null: none).
     */
    @org.springframework.beans.factory.annotation.Autowired
    public DemoData(
            DataSource dataSource,
            PlatformTransactionManager transactions,
            ApplicationEventPublisher events,
            Clock clock,
            @Value("${kindling.demo:false}") boolean enabled,
            dev.kindling.assignment.DemoTeam demoTeam,
            DemoSales demoSales,
            DemoSetup demoSetup,
            DemoHistory demoHistory) {
        this.demoTeam = demoTeam;
        this.demoHistory = demoHistory;
        this.demoSales = demoSales;
        this.demoSetup = demoSetup;
        this.dataSource = dataSource;
        this.transactions = new TransactionTemplate(transactions);
        this.events = events;
        this.clock = clock;
        this.enabled = enabled;
    }

    @Override
    public List<String> lines() {
        if (!enabled) {
            return List.of();
        }
        List<String> lines = new java.util.ArrayList<>();
        lines.add(
                "Demo data: loading in the background; a later line says when every page has it (about half a minute).");
        if (demoTeam != null) {
            lines.add("Demo users (they sign in with the admin's password): "
                    + String.join(", ", dev.kindling.assignment.DemoTeam.users()));
        }
        return lines;
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
                return;
            }
            logDemoUsers();
            if (demoSales != null) {
                try {
                    // after a restart too: the history is written once, when the demo's activities are processed
                    demoSales.writeWhenProcessed(Duration.ofMinutes(30));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (RuntimeException e) {
                    log.error("Demo data: writing the sales history failed; nothing was kept", e);
                    return;
                }
            }
            if (demoSetup != null) {
                try {
                    demoSetup.configure();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (IOException | RuntimeException e) {
                    log.error("Demo data: setting up the demo's lists, rules, emails and programs failed", e);
                    return;
                }
            }
            log.info("Demo data: finished loading — the prospects with their activities processed, the sales history "
                    + "and the demo team's lists, rules, emails and programs are in");
        });
    }

    /** Says in the start log who can sign in to the demo besides the admin. */
    private void logDemoUsers() {
        if (demoTeam == null) {
            return;
        }
        String users = JdbcClient.create(dataSource)
                .sql(
                        "SELECT email || ' (' || role || ')' FROM app_user WHERE email LIKE '%@demo.kindling.local' ORDER BY id")
                .query(String.class)
                .list()
                .stream()
                .collect(Collectors.joining(", "));
        if (!users.isEmpty()) {
            log.info("Demo data: the demo users sign in with the admin's password: {}", users);
        }
    }

    /** Loads the demo data unless a prospect exists; returns whether it loaded. */
    public boolean load() throws SQLException {
        try {
            return Boolean.TRUE.equals(transactions.execute(status -> {
                try {
                    boolean loaded = load(DataSourceUtils.getConnection(dataSource));
                    if (!loaded) {
                        status.setRollbackOnly();
                    }
                    return loaded;
                } catch (SQLException e) {
                    throw new LoadFailed(e);
                }
            }));
        } catch (LoadFailed e) {
            throw e.getCause();
        }
    }

    private boolean load(Connection connection) throws SQLException {
        long started = System.nanoTime();
        // Ids are read back in insertion order, so no one else may add rows meanwhile.
        try (Statement statement = connection.createStatement()) {
            statement.execute("LOCK TABLE campaign, account, prospect IN EXCLUSIVE MODE");
        }
        if (hasProspects(connection)) {
            log.info("Demo data: prospects exist already, nothing loaded");
            return false;
        }
        Instant now = clock.instant();
        Dataset dataset = Dataset.of(DatasetSize.DEMO, SEED, now);
        log.info(
                "Demo data: loading {} prospects and {} activities from {} to {}",
                DatasetSize.DEMO.prospects(),
                DatasetSize.DEMO.activities(),
                dataset.periodStart(),
                now);
        DatasetCopy copy = new DatasetCopy(connection);
        long[] campaignIds = copy.copyCampaigns(dataset.campaigns(), now);
        long[] accountIds = copy.copyAccounts(dataset, now);
        long[] prospectIds = copy.copyProspects(dataset, accountIds, campaignIds, "import:demo");
        log.info(
                "Demo data: {} campaigns, {} accounts, {} prospects copied",
                campaignIds.length,
                accountIds.length,
                prospectIds.length);
        if (demoTeam != null) {
            // before the prospects are processed, so the MQLs among them are assigned as they qualify
            demoTeam.create();
        }
        long step = System.nanoTime();
        events.publishEvent(
                new ProspectsChanged(LongStream.of(prospectIds).boxed().collect(Collectors.toSet())));
        log.info("Demo data: prospects graded and checked in {} ms", (System.nanoTime() - step) / 1_000_000);
        DemoHistory.Load history = null;
        if (demoHistory != null) {
            step = System.nanoTime();
            history = demoHistory.start(dataset, prospectIds, now);
            // before the dataset's activities, so intake takes the visits before capture first, as they happened
            DemoHistory.Visits visits = history.recordVisitors();
            log.info(
                    "Demo data: {} newsletter issues, {} website visitors ({} of them identified at their capture) "
                            + "with {} page views queued in {} ms",
                    history.issues(),
                    visits.visitors(),
                    visits.identified(),
                    visits.pageViews(),
                    (System.nanoTime() - step) / 1_000_000);
        }
        step = System.nanoTime();
        Stream<GeneratedActivity> generated = dataset.activities();
        if (history != null) {
            generated = generated.map(history::track);
        }
        copy.coverActivityMonths(dataset.periodStart(), now);
        long activities =
                copy.copyActivities(generated, new ActivityRows("demo-", prospectIds, campaignIds, now, null));
        log.info("Demo data: {} activities queued in {} ms", activities, (System.nanoTime() - step) / 1_000_000);
        if (history != null) {
            step = System.nanoTime();
            int messages = history.recordMessages();
            log.info(
                    "Demo data: {} newsletter messages sent in {} ms",
                    messages,
                    (System.nanoTime() - step) / 1_000_000);
        }
        log.info("Demo data: loaded in {} ms", (System.nanoTime() - started) / 1_000_000);
        return true;
    }

    /** Carries a JDBC failure out of the transaction callback. */
    private static final class LoadFailed extends RuntimeException {

        LoadFailed(SQLException cause) {
            super(cause);
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
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

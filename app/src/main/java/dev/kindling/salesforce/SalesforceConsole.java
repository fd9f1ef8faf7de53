package dev.kindling.salesforce;

import dev.kindling.engine.crm.ApiBudget;
import dev.kindling.salesforce.SalesforceSettings.Connection;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** What the sync console shows: the connector's status, the last cycles per object, the API budget, the queue. */
@Component
class SalesforceConsole {

    /** Cycles the per-object counts add up. */
    static final int RECENT_CYCLES = 10;

    /** Per object, what the last {@link #RECENT_CYCLES} cycles did. */
    record ObjectStats(String object, long created, long updated, long deleted, long failed) {}

    /** One recent cycle: when, its API calls and its note. */
    record CycleRow(Instant at, long apiCalls, String note) {}

    /**
     * The console's status. {@code budgetToday} is Kindling's share of the org's daily allocation (null until
     * Salesforce reported its allocation); {@code apiCallsToday} Kindling's calls in the last 24 hours. The backlog is
     * the prospect outbox: updates due to be pushed, those waiting for a retry after a failure, when the oldest was
     * queued and its age in seconds (null with an empty queue); {@code backlogMembers} the campaign members Kindling
     * is to add (due or waiting for a retry); {@code backlogCampaigns} the Campaigns Kindling is to create for its own
     * campaigns (due or waiting for a retry).
     */
    record Status(
            boolean configured,
            String source,
            boolean connected,
            boolean paused,
            Instant lastCycleAt,
            Instant nextCycleAt,
            Instant stoppedUntil,
            String lastFailure,
            int cycleSeconds,
            int budgetPercent,
            long apiCallsToday,
            Long budgetToday,
            Long orgCallsUsed,
            Long orgCallsMax,
            long openErrors,
            long backlogDue,
            long backlogWaiting,
            Instant backlogOldestQueuedAt,
            Long backlogAgeSeconds,
            long backlogMembers,
            long backlogCampaigns,
            List<ObjectStats> objects,
            List<CycleRow> cycles) {}

    private final SalesforceSettings settings;
    private final SalesforceConnector connector;
    private final ErrorQueue errors;
    private final SalesforceOutbox outbox;
    private final CampaignMemberPush members;
    private final CampaignPush campaigns;
    private final JdbcClient jdbc;
    private final Clock clock;

    SalesforceConsole(
            SalesforceSettings settings,
            SalesforceConnector connector,
            ErrorQueue errors,
            SalesforceOutbox outbox,
            CampaignMemberPush members,
            CampaignPush campaigns,
            JdbcClient jdbc,
            Clock clock) {
        this.members = members;
        this.campaigns = campaigns;
        this.settings = settings;
        this.connector = connector;
        this.errors = errors;
        this.outbox = outbox;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    Status status() {
        Optional<Connection> c = settings.current();
        SalesforceConnector.State state = connector.state();
        ApiBudget.Usage usage = connector.usage();
        List<CycleRow> cycles = jdbc.sql("""
                        SELECT started_at, sum(api_calls), string_agg(note, '; ') FROM salesforce_cycle
                         GROUP BY started_at ORDER BY started_at DESC LIMIT :n""")
                .param("n", RECENT_CYCLES)
                .query((rs, i) -> new CycleRow(rs.getTimestamp(1).toInstant(), rs.getLong(2), rs.getString(3)))
                .list();
        List<ObjectStats> objects = cycles.isEmpty()
                ? List.of()
                : jdbc.sql("""
                                SELECT object, sum(created), sum(updated), sum(deleted), sum(failed)
                                  FROM salesforce_cycle WHERE started_at >= :since AND object <> '*'
                                 GROUP BY object ORDER BY min(id)""")
                        .param("since", Timestamp.from(cycles.getLast().at()))
                        .query((rs, i) -> new ObjectStats(
                                rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)))
                        .list();
        int budgetPercent = c.map(Connection::budgetPercent).orElse(20);
        Instant now = clock.instant();
        SalesforceOutbox.Backlog backlog = outbox.backlog(now);
        return new Status(
                c.isPresent(),
                c.map(x -> x.source().name()).orElse(null),
                state.signedIn() && state.lastFailure() == null,
                c.map(Connection::paused).orElse(false),
                cycles.isEmpty() ? null : cycles.getFirst().at(),
                c.isPresent() && !c.get().paused() ? state.nextCycleAt() : null,
                state.stoppedUntil(),
                state.lastFailure(),
                c.map(Connection::cycleSeconds).orElse(60),
                budgetPercent,
                connector.usedToday(),
                usage == null ? null : usage.max() * budgetPercent / 100,
                usage == null ? null : usage.used(),
                usage == null ? null : usage.max(),
                errors.openCount(),
                backlog.due(),
                backlog.waiting(),
                backlog.oldestQueuedAt(),
                backlog.oldestQueuedAt() == null
                        ? null
                        : Math.max(
                                0,
                                Duration.between(backlog.oldestQueuedAt(), now).toSeconds()),
                members.backlog(),
                campaigns.backlog(),
                objects,
                cycles);
    }
}

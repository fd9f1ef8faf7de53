package dev.kindling.salesforce;

import dev.kindling.engine.crm.ApiBudget;
import dev.kindling.platform.time.Recurring;
import dev.kindling.salesforce.SalesforceClient.LimitReached;
import dev.kindling.salesforce.SalesforceClient.SalesforceException;
import dev.kindling.salesforce.SalesforceSettings.Connection;
import jakarta.annotation.PreDestroy;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Runs the sync cycle: every {@code cycle_seconds} (60 by default) of the injected clock while a connection is
 * configured and not paused, and on demand ({@link #syncNow}). A cycle first asks the budget ({@link ApiBudget}) how
 * many calls it may make, then polls each object; it records what it did in {@code salesforce_cycle}. On
 * {@code REQUEST_LIMIT_EXCEEDED} the connector stops for an hour and says so. With no connection it does nothing.
 */
@Component
public class SalesforceConnector {

    private static final Logger log = LoggerFactory.getLogger(SalesforceConnector.class);
    static final Duration STOP_AFTER_LIMIT = Duration.ofHours(1);

    /** What a cycle did ({@code note} says why it did less, or nothing). */
    public record Cycle(Instant at, AccountSync.Result accounts, long apiCalls, String note) {}

    private final SalesforceSettings settings;
    private final AccountSync accounts;
    private final ProspectSync prospectSync;
    private final JdbcClient jdbc;
    private final Clock clock;
    private final Recurring recurring;
    private volatile Instant nextCycleAt = Instant.MIN;
    private volatile Instant stoppedUntil = Instant.MIN;
    private volatile SalesforceClient client;
    private volatile Connection clientOf;

    SalesforceConnector(
            SalesforceSettings settings,
            AccountSync accounts,
            ProspectSync prospectSync,
            JdbcClient jdbc,
            Clock clock,
            @Value("${kindling.salesforce.tick:PT1S}") Duration tick) {
        this.settings = settings;
        this.accounts = accounts;
        this.prospectSync = prospectSync;
        this.jdbc = jdbc;
        this.clock = clock;
        this.recurring = new Recurring("salesforce", tick, this::tick);
    }

    /** A cycle when one is due (the clock passed the next cycle's instant). */
    void tick() {
        Optional<Connection> connection = settings.current();
        if (connection.isEmpty() || connection.get().paused() || clock.instant().isBefore(nextCycleAt)) {
            return;
        }
        syncNow();
    }

    /** Run a cycle now (the console's "sync now"); empty when no connection is configured. */
    public synchronized Optional<Cycle> syncNow() {
        Optional<Connection> connection = settings.current();
        if (connection.isEmpty()) {
            return Optional.empty();
        }
        Connection c = connection.get();
        Instant now = clock.instant();
        nextCycleAt = now.plusSeconds(c.cycleSeconds());
        if (now.isBefore(stoppedUntil)) {
            return Optional.of(record(new Cycle(
                    now, null, 0, "stopped until " + stoppedUntil + ": the org's API allocation was used up")));
        }
        SalesforceClient sf = clientFor(c);
        ApiBudget.Usage usage = sf.usage();
        if (usage != null) {
            long usedToday = jdbc.sql(
                            "SELECT coalesce(sum(api_calls), 0) FROM salesforce_cycle WHERE started_at > :since")
                    .param("since", Timestamp.from(now.minus(Duration.ofDays(1))))
                    .query(Long.class)
                    .single();
            ApiBudget.Pace pace =
                    ApiBudget.pace(usage, c.budgetPercent(), usedToday, Math.max(1, 86_400 / c.cycleSeconds()), 1);
            if (pace.calls() == 0) {
                return Optional.of(record(new Cycle(now, null, 0, "paused by the API budget: " + pace.limitedBy())));
            }
        }
        long before = sf.calls();
        try {
            AccountSync.Result r = accounts.poll(sf);
            prospectSync.record(prospectSync.cycle(sf), now);
            return Optional.of(record(new Cycle(now, r, sf.calls() - before, null)));
        } catch (LimitReached e) {
            stoppedUntil = now.plus(STOP_AFTER_LIMIT);
            log.warn("Salesforce: the org's daily API allocation is used up; sync stopped until {}", stoppedUntil);
            return Optional.of(record(new Cycle(now, null, sf.calls() - before, "stopped: " + e.getMessage())));
        } catch (SalesforceException e) {
            log.warn("Salesforce sync cycle failed: {}", e.getMessage());
            return Optional.of(record(new Cycle(now, null, sf.calls() - before, "failed: " + e.getMessage())));
        }
    }

    /** Runs {@code work} with the connection's client, never during a cycle; empty when no connection is configured. */
    synchronized <T> Optional<T> withClient(java.util.function.Function<SalesforceClient, T> work) {
        return settings.current().map(c -> work.apply(clientFor(c)));
    }

    /** The org's instance URL, once signed in (for links to records). */
    Optional<String> instanceUrl() {
        SalesforceClient c = client;
        return c == null ? Optional.empty() : Optional.ofNullable(c.instanceUrl());
    }

    private SalesforceClient clientFor(Connection c) {
        if (client == null || !c.equals(clientOf)) {
            client = settings.client(c, clock);
            clientOf = c;
        }
        return client;
    }

    private Cycle record(Cycle cycle) {
        AccountSync.Result r = cycle.accounts() == null ? new AccountSync.Result(0, 0, 0, 0) : cycle.accounts();
        jdbc.sql("""
                INSERT INTO salesforce_cycle (object, started_at, finished_at, created, updated, deleted, api_calls, note)
                VALUES (:object, :started, :finished, :created, :updated, :deleted, :calls, :note)""")
                .param("object", AccountSync.OBJECT)
                .param("started", Timestamp.from(cycle.at()))
                .param("finished", Timestamp.from(clock.instant()))
                .param("created", r.created())
                .param("updated", r.updated())
                .param("deleted", r.deleted())
                .param("calls", cycle.apiCalls())
                .param("note", cycle.note())
                .update();
        return cycle;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        recurring.start();
    }

    @PreDestroy
    void stop() throws InterruptedException {
        recurring.stop();
    }
}

package dev.kindling.salesforce;

import dev.kindling.engine.crm.ApiBudget;
import dev.kindling.platform.cluster.Singletons;
import dev.kindling.platform.time.Recurring;
import dev.kindling.platform.web.ConflictException;
import dev.kindling.salesforce.SalesforceClient.LimitReached;
import dev.kindling.salesforce.SalesforceClient.SalesforceException;
import dev.kindling.salesforce.SalesforceSettings.Connection;
import jakarta.annotation.PreDestroy;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;

/**
 * Runs the sync cycle: every {@code cycle_seconds} (60 by default) of the injected clock while a connection is
 * configured and not paused, and on demand ({@link #syncNow}). A cycle first asks the budget ({@link ApiBudget}) how
 * many calls it may make, then polls each object; it records what it did in {@code salesforce_cycle}. On
 * {@code REQUEST_LIMIT_EXCEEDED} the connector stops for an hour, says so and alerts the admins. Within a cycle the
 * objects are read in order (leads, contacts, accounts, users, campaigns, opportunities, contact roles, campaign
 * members) until the cycle's share of the API budget is spent: the rest follows next cycle, and the cycle's note says
 * so; with Kindling changes due, the polls may use only half of it. Then the prospect outbox is pushed (every cycle),
 * and, budget left, the Campaigns Kindling creates for its own campaigns ({@link CampaignPush}) and the campaign
 * members Kindling adds. Deletes are checked once an hour per object
 * ({@link DeleteCheck}). With no connection it does nothing.
 *
 * <p>With several instances on one database a cycle runs on one of them at a time ({@link Singletons}, job
 * {@value #JOB}), and a scheduled cycle is due {@code cycle_seconds} after the last cycle any instance ran (read from
 * {@code salesforce_cycle}), so N instances do not make N cycles. "Sync now" while another instance runs a cycle is
 * refused (409).
 */
@Component
public class SalesforceConnector {

    private static final Logger log = LoggerFactory.getLogger(SalesforceConnector.class);
    static final Duration STOP_AFTER_LIMIT = Duration.ofHours(1);
    /** The cycle's lock: one instance at a time. */
    static final String JOB = "salesforce-cycle";

    private static final String RETRY_NOTE = "retry from the error queue";

    /** What a cycle did, per object ({@code note} says why it did less, or nothing). */
    public record Cycle(Instant at, Map<String, SyncCounts> objects, long apiCalls, String note) {}

    /** What a retry from the error queue did: records read again, and those Salesforce no longer has. */
    public record Retried(int reread, int gone) {}

    /** The connector's state for the console. */
    public record State(boolean signedIn, String lastFailure, Instant nextCycleAt, Instant stoppedUntil) {}

    private final SalesforceSettings settings;
    private final AccountSync accounts;
    private final List<ObjectSync> syncs;
    private final IncrementalPoll poll;
    private final Watermarks watermarks;
    private final PagedPoll paged;
    private final DeleteCheck deletes;
    private final ErrorQueue errors;
    private final SalesforceAlerts alerts;
    private final ProspectSync prospectSync;
    private final CampaignPush campaignPush;
    private final JdbcClient jdbc;
    private final Clock clock;
    private final Singletons singletons;
    private final Recurring recurring;
    private volatile Instant nextCycleAt = Instant.MIN;
    /** Until this instance's first scheduled check. */
    private volatile boolean firstCheck = true;

    private volatile Instant stoppedUntil = Instant.MIN;
    private volatile String lastFailure;
    /** The object the next cycle starts with (0: leads, 1: contacts, 2: accounts, then the syncs in order). */
    private volatile int resumeAt;

    private volatile SalesforceClient client;
    private volatile Connection clientOf;

    SalesforceConnector(
            SalesforceSettings settings,
            AccountSync accounts,
            List<ObjectSync> syncs,
            IncrementalPoll poll,
            Watermarks watermarks,
            PagedPoll paged,
            DeleteCheck deletes,
            ErrorQueue errors,
            SalesforceAlerts alerts,
            ProspectSync prospectSync,
            CampaignPush campaignPush,
            JdbcClient jdbc,
            Clock clock,
            Singletons singletons,
            @Value("${kindling.salesforce.tick:PT1S}") Duration tick) {
        this.settings = settings;
        this.accounts = accounts;
        this.syncs = List.copyOf(syncs);
        this.poll = poll;
        this.watermarks = watermarks;
        this.paged = paged;
        this.deletes = deletes;
        this.errors = errors;
        this.alerts = alerts;
        this.prospectSync = prospectSync;
        this.campaignPush = campaignPush;
        this.jdbc = jdbc;
        this.clock = clock;
        this.singletons = singletons;
        this.recurring = new Recurring("salesforce", tick, this::tick);
    }

    /** A cycle when one is due (the clock passed the next cycle's instant). */
    void tick() {
        Optional<Connection> connection = settings.current();
        if (connection.isEmpty() || connection.get().paused() || clock.instant().isBefore(nextCycleAt)) {
            return;
        }
        scheduledCycle();
    }

    /**
     * The scheduled cycle, unless another instance runs one or ran one less than {@code cycle_seconds} ago. When the
     * last holder of the cycle's lock died holding it (a crash mid-cycle), an instance's first check runs a cycle at
     * once: it resumes what the crash left. While the lock is still held — by a live cycle, or by a dead one whose lease
     * has not run out yet — the first check does not try it and waits for a later tick ({@link Singletons#takeOver}).
     * Before, it read the lock, then took it: when the dead holder's lease ran out between the two, it took the crashed
     * cycle for one that had ended, found the last recorded cycle recent (a cycle is recorded at its end, so the
     * crashed one never was) and left the resume to the next regular cycle, {@code cycle_seconds} later.
     */
    private synchronized void scheduledCycle() {
        if (firstCheck) {
            singletons.takeOver(JOB, died -> {
                firstCheck = false;
                return died ? cycle() : cycleIfDue();
            });
        } else {
            singletons.runAlone(JOB, this::cycleIfDue);
        }
    }

    /** A cycle when {@code cycle_seconds} have passed since the last one any instance ran (in the cycle's lock). */
    private Optional<Cycle> cycleIfDue() {
        Optional<Connection> connection = settings.current();
        Instant last = lastCycleAt();
        if (connection.isPresent()
                && last != null
                && clock.instant().isBefore(last.plusSeconds(connection.get().cycleSeconds()))) {
            nextCycleAt = last.plusSeconds(connection.get().cycleSeconds()); // another instance ran it
            return Optional.empty();
        }
        return cycle();
    }

    /** When the last cycle (not a retry) started, on any instance; null before the first. */
    private Instant lastCycleAt() {
        return jdbc.sql("""
                        SELECT started_at FROM salesforce_cycle
                         WHERE note IS NULL OR note NOT LIKE :retry
                         ORDER BY started_at DESC LIMIT 1""")
                .param("retry", RETRY_NOTE + "%")
                .query((rs, n) -> rs.getTimestamp(1).toInstant())
                .optional()
                .orElse(null);
    }

    /**
     * Run a cycle now (the console's "sync now"); empty when no connection is configured. Refused (409) while another
     * instance runs one.
     */
    public synchronized Optional<Cycle> syncNow() {
        return singletons.runAlone(JOB, this::cycle).orElseThrow(SalesforceConnector::busy);
    }

    private Optional<Cycle> cycle() {
        Optional<Connection> connection = settings.current();
        if (connection.isEmpty()) {
            return Optional.empty();
        }
        Connection c = connection.get();
        Instant now = clock.instant();
        nextCycleAt = now.plusSeconds(c.cycleSeconds());
        if (!c.equals(clientOf)) {
            stoppedUntil = Instant.MIN; // a changed connection (or a resume) is tried at once
        }
        if (now.isBefore(stoppedUntil)) {
            return Optional.of(record(new Cycle(
                    now, Map.of(), 0, "stopped until " + stoppedUntil + ": the org's API allocation was used up")));
        }
        SalesforceClient sf = clientFor(c);
        prospectSync.refreshMapping(); // custom field definitions may have changed since the last cycle
        long allowed = Long.MAX_VALUE;
        ApiBudget.Usage usage = sf.usage();
        if (usage != null) {
            long usedToday = usedToday();
            long cycles = Math.max(1, 86_400 / c.cycleSeconds());
            ApiBudget.Pace pace = ApiBudget.pace(usage, c.budgetPercent(), usedToday, cycles, 1);
            if (pace.calls() == 0) {
                return Optional.of(
                        record(new Cycle(now, Map.of(), 0, "paused by the API budget: " + pace.limitedBy())));
            }
            allowed = ApiBudget.pace(usage, c.budgetPercent(), usedToday, cycles, Long.MAX_VALUE)
                    .calls();
        }
        long before = sf.calls();
        long budget = allowed;
        BooleanSupplier spent = () -> sf.calls() - before >= budget;
        // a fair split: with Kindling changes due, the polls may use half of the cycle's calls, the push the rest
        long pollShare = prospectSync.pushDue() ? budget - budget / 2 : budget;
        BooleanSupplier pollsSpent = () -> sf.calls() - before >= pollShare;
        Map<String, SyncCounts> done = new LinkedHashMap<>();
        try {
            // leads and contacts first, so contact roles and members find their prospects by the mapping; then
            // accounts and the other objects, in order, starting where the last paced cycle stopped, so a tight budget
            // reaches them all in turn. The first pages are read five objects to a composite request (one API call),
            // so an idle cycle costs two calls; further pages are read alone.
            List<String> people = ProspectSync.OBJECTS;
            int count = people.size() + 1 + syncs.size();
            int read = 0;
            int start = resumeAt;
            boolean paced = false;
            Map<Integer, SalesforceClient.QueryPage> firstPages = new HashMap<>();
            Map<Integer, Watermarks.Window> windows = new HashMap<>();
            Map<Integer, String> soqls = new HashMap<>();
            for (int k = 0; k < count; k++) {
                int i = (start + k) % count;
                if (!firstPages.containsKey(i)) {
                    if (k > 0 && pollsSpent.getAsBoolean()) {
                        resumeAt = i;
                        paced = true;
                        break;
                    }
                    List<Integer> next = new ArrayList<>();
                    for (int j = k; j < count && next.size() < SalesforceClient.QUERIES_PER_COMPOSITE; j++) {
                        next.add((start + j) % count);
                    }
                    next.forEach(o -> {
                        windows.put(o, window(people, o));
                        soqls.put(o, soql(people, o, windows.get(o)));
                    });
                    List<SalesforceClient.QueryPage> pages =
                            sf.firstPages(next.stream().map(soqls::get).toList());
                    for (int j = 0; j < next.size(); j++) {
                        firstPages.put(next.get(j), pages.get(j));
                    }
                }
                // REST pages from the first on, or a Bulk API 2.0 query job for a large initial sync
                PagedPoll.Pages first = paged.pages(windows.get(i), soqls.get(i), firstPages.get(i));
                if (i < people.size()) {
                    ProspectSync.Counts n = prospectSync.poll(sf, people.get(i), first, windows.get(i));
                    done.put(people.get(i), new SyncCounts(n.linked(), n.updated(), n.deleted(), 0, n.skipped()));
                } else if (i == people.size()) {
                    AccountSync.Result a = accounts.poll(sf, first, windows.get(i));
                    done.put(AccountSync.OBJECT, new SyncCounts(a.created(), a.updated(), a.deleted(), 0, a.skipped()));
                } else {
                    ObjectSync sync = syncs.get(i - people.size() - 1);
                    done.put(sync.object(), poll.poll(sf, sync, first, windows.get(i)));
                }
                read++;
                resumeAt = 0;
            }
            // the push runs every cycle the budget allows, whatever the polls used (they leave it its share)
            SalesforceOutbox.Result pushed = prospectSync.push(sf);
            done.put(
                    "Push",
                    new SyncCounts(pushed.created(), pushed.updated() + pushed.matched(), 0, pushed.failed(), 0));
            // the Campaigns Kindling creates for its own campaigns, before the members (which may be theirs)
            if (!spent.getAsBoolean()) {
                CampaignPush.Result campaigns = campaignPush.push(sf);
                if (campaigns.created() + campaigns.failed() > 0) {
                    done.put("Push Campaign", new SyncCounts(campaigns.created(), 0, 0, campaigns.failed(), 0));
                }
            }
            if (!spent.getAsBoolean()) {
                CampaignMemberPush.Result members = prospectSync.pushMembers(sf);
                if (members.created() + members.already() + members.failed() > 0) {
                    done.put(
                            "Push CampaignMember",
                            new SyncCounts(members.created(), members.already(), 0, members.failed(), 0));
                }
            }
            for (ObjectSync sync : syncs) {
                if (!spent.getAsBoolean() && !sync.object().equals(UserSync.OBJECT) && deletes.due(sync.object())) {
                    int deleted = deletes.check(sf, sync);
                    done.merge(sync.object(), new SyncCounts(0, 0, deleted, 0, 0), SyncCounts::plus);
                }
            }
            lastFailure = null;
            String note = paced
                    ? "paced by the API budget (" + c.budgetPercent() + " % of the org's daily allocation): "
                            + (sf.calls() - before) + " calls, " + budget + " allowed per cycle; "
                            + read + " of " + count + " objects read, the rest follows next cycle"
                    : null;
            return Optional.of(record(new Cycle(now, done, sf.calls() - before, note)));
        } catch (LimitReached e) {
            stoppedUntil = now.plus(STOP_AFTER_LIMIT);
            lastFailure = e.getMessage();
            log.warn("Salesforce: the org's daily API allocation is used up; sync stopped until {}", stoppedUntil);
            alerts.limitReached(e.getMessage(), stoppedUntil);
            return Optional.of(record(new Cycle(now, done, sf.calls() - before, "stopped: " + e.getMessage())));
        } catch (SalesforceException e) {
            lastFailure = e.getMessage();
            log.warn("Salesforce sync cycle failed: {}", e.getMessage());
            return Optional.of(record(new Cycle(now, done, sf.calls() - before, "failed: " + e.getMessage())));
        }
    }

    /** Where the change poll of the object at {@code i} of the cycle's order starts. */
    private Watermarks.Window window(List<String> people, int i) {
        if (i < people.size()) {
            return prospectSync.window(people.get(i));
        }
        return watermarks.window(
                i == people.size()
                        ? AccountSync.OBJECT
                        : syncs.get(i - people.size() - 1).object());
    }

    /** The change poll's query of the object at {@code i} of the cycle's order. */
    private String soql(List<String> people, int i, Watermarks.Window window) {
        if (i < people.size()) {
            return prospectSync.soql(people.get(i), window);
        }
        return i == people.size()
                ? AccountSync.soql(window)
                : IncrementalPoll.soql(syncs.get(i - people.size() - 1), window);
    }

    /**
     * Reads the records of open error queue entries again (one by id, all of a kind, or all) and writes them: an entry
     * clears when its record now goes through; one whose record Salesforce no longer has is dismissed.
     */
    public synchronized Retried retry(Long id, String kind) {
        return singletons.runAlone(JOB, () -> retryAlone(id, kind)).orElseThrow(SalesforceConnector::busy);
    }

    private static ConflictException busy() {
        return new ConflictException(
                "Another Kindling instance is running a sync cycle now; try again when it has finished");
    }

    private Retried retryAlone(Long id, String kind) {
        Connection c = settings.current()
                .orElseThrow(() -> new ConflictException("The Salesforce connector is not configured"));
        SalesforceClient sf = clientFor(c);
        long before = sf.calls();
        // Kindling's own writes that Salesforce refused (prospect and campaign member pushes) are queued again
        List<Long> parked = errors.parkedPushes(id, kind);
        int reread = prospectSync.retryParked(parked) + (parked.isEmpty() ? 0 : campaignPush.retryParked(parked));
        int gone = 0;
        for (Map.Entry<String, List<String>> e : errors.toRetry(id, kind).entrySet()) {
            ObjectSync sync = syncs.stream()
                    .filter(s -> s.object().equals(e.getKey()))
                    .findFirst()
                    .orElse(null);
            if (sync == null) {
                continue;
            }
            List<String> missing;
            try {
                missing = poll.reread(sf, sync, e.getValue());
            } catch (SalesforceException failure) {
                throw new ResponseStatusException(HttpStatus.BAD_GATEWAY, "Salesforce: " + failure.getMessage());
            }
            errors.gone(sync.object(), missing);
            reread += e.getValue().size() - missing.size();
            gone += missing.size();
        }
        // its calls count against the budget like a cycle's
        record(new Cycle(
                clock.instant(),
                Map.of(),
                sf.calls() - before,
                RETRY_NOTE + ": " + reread + " read again or queued, " + gone + " no longer in Salesforce"));
        return new Retried(reread, gone);
    }

    /** Whether signed in, the last cycle's failure, and when the next cycle is due. */
    public State state() {
        SalesforceClient sf = client;
        return new State(
                sf != null && sf.instanceUrl() != null,
                lastFailure,
                nextCycleAt.equals(Instant.MIN) ? null : nextCycleAt,
                stoppedUntil.equals(Instant.MIN) ? null : stoppedUntil);
    }

    /** The org's usage as Salesforce last reported it ({@code Sforce-Limit-Info}), or null before the first call. */
    public ApiBudget.Usage usage() {
        SalesforceClient sf = client;
        return sf == null ? null : sf.usage();
    }

    /** Kindling's API calls in the last 24 hours. */
    public long usedToday() {
        return jdbc.sql("SELECT coalesce(sum(api_calls), 0) FROM salesforce_cycle WHERE started_at > :since")
                .param("since", Timestamp.from(clock.instant().minus(Duration.ofDays(1))))
                .query(Long.class)
                .single();
    }

    /**
     * Runs {@code work} with the connection's client, never during a cycle (of any instance); empty when no connection
     * is configured or another instance runs a cycle (whose push, or the next one, does the work instead).
     */
    synchronized <T> Optional<T> withClient(java.util.function.Function<SalesforceClient, T> work) {
        return singletons
                .runAlone(JOB, () -> settings.current().map(c -> work.apply(clientFor(c))))
                .flatMap(done -> done);
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

    /** One row per object read (one row, object {@code *}, for a cycle that read nothing); the note on the first. */
    private Cycle record(Cycle cycle) {
        Map<String, SyncCounts> rows = cycle.objects().isEmpty() ? Map.of("*", SyncCounts.NONE) : cycle.objects();
        boolean first = true;
        for (Map.Entry<String, SyncCounts> e : rows.entrySet()) {
            SyncCounts r = e.getValue();
            jdbc.sql("""
                    INSERT INTO salesforce_cycle (object, started_at, finished_at, created, updated, deleted, failed,
                                                  api_calls, note)
                    VALUES (:object, :started, :finished, :created, :updated, :deleted, :failed, :calls, :note)""")
                    .param("object", e.getKey())
                    .param("started", Timestamp.from(cycle.at()))
                    .param("finished", Timestamp.from(clock.instant()))
                    .param("created", r.created())
                    .param("updated", r.updated())
                    .param("deleted", r.deleted())
                    .param("failed", r.failed())
                    .param("calls", first ? cycle.apiCalls() : 0)
                    .param("note", first ? cycle.note() : null)
                    .update();
            first = false;
        }
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

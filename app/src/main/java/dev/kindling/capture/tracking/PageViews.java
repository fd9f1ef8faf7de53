package dev.kindling.capture.tracking;

import dev.kindling.capture.CaptureRateLimits;
import dev.kindling.capture.RateLimiter;
import dev.kindling.engine.activity.ActivityType;
import dev.kindling.intake.ActivityIntake;
import dev.kindling.intake.NewActivity;
import dev.kindling.intake.Visitors;
import dev.kindling.privacy.Consents;
import jakarta.annotation.PreDestroy;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Records page views: a PAGE_VIEW activity of the visitor, and the visitor row (first and last seen, user agent, bot
 * flag, and the UTM parameters of its first tracked visit). A page view is durable when {@link #record} returns — the
 * collect endpoint answers only then — but concurrent page views share one transaction (<b>group commit</b>): each
 * caller queues its view and waits; {@value #WRITERS} writer threads each take every view queued so far (up to
 * {@value #MAX_BATCH}) and write them in one transaction — the rate limit of their client addresses, the consent check,
 * the visitor upsert, the activity insert — and one commit, then wake their callers. One writer at a time runs its
 * statements, and takes the queue only when it may: so a batch holds every view that arrived while the other writer's
 * statements ran, and one writer's commit (its WAL flush) overlaps the other's statements. Under load a commit carries
 * as many views as arrived while the previous batch was written; alone, a view is written at once. The rate limit takes
 * one token per view from its address's shared bucket ({@link RateLimiter#takeAll}); the views it refuses are not
 * stored and their callers learn when to retry. If the transaction fails, every caller of the batch gets the failure and nothing of the batch is stored, no
 * token taken.
 */
@Component
class PageViews {

    /** The most views one transaction writes (the intake's batch maximum). */
    static final int MAX_BATCH = 1000;
    /**
     * Writer threads: two, taking turns at their statements, so that one batch's statements run while the other's
     * commit waits for its WAL flush.
     */
    static final int WRITERS = 2;

    private static final Logger log = LoggerFactory.getLogger(PageViews.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * A view waiting to be written; its outcome completes once written: 0 when stored (or left out for withdrawn
     * consent), else the seconds after which its client may retry (refused by the rate limit).
     */
    private record Pending(
            PageView view, String userAgent, boolean bot, String client, Instant at, CompletableFuture<Long> outcome) {}

    private final ActivityIntake intake;
    private final Visitors visitors;
    private final JsonMapper json;
    private final Clock clock;
    private final Consents consents;
    private final TransactionTemplate transaction;
    private final RateLimiter limiter;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    /** Held by the writer running its batch's statements (not its commit). */
    private final ReentrantLock statements = new ReentrantLock();

    private final List<Thread> writers = new ArrayList<>();
    private volatile boolean running = true;

    PageViews(
            ActivityIntake intake,
            Visitors visitors,
            JsonMapper json,
            Clock clock,
            Consents consents,
            TransactionTemplate transaction,
            CaptureRateLimits rateLimits) {
        this.limiter = rateLimits.collect();
        this.consents = consents;
        this.intake = intake;
        this.visitors = visitors;
        this.json = json;
        this.clock = clock;
        this.transaction = transaction;
        for (int i = 0; i < WRITERS; i++) {
            writers.add(Thread.ofPlatform()
                    .name("kindling-page-views-" + i)
                    .daemon(true)
                    .start(this::writeQueued));
        }
    }

    /**
     * Records the view from the client (its rate-limit key, {@link RateLimiter#clientOf}), committed on return (with
     * whatever other views were waiting at the same time); or, when the client is over its limit, refuses it.
     */
    RateLimiter.Decision record(PageView view, String userAgent, boolean bot, String client) {
        Pending mine = new Pending(
                view, userAgent, bot, client == null ? "" : client, clock.instant(), new CompletableFuture<>());
        queue.add(mine);
        if (!running && queue.remove(mine)) {
            throw new IllegalStateException("page views are no longer taken: the app is stopping");
        }
        long retryAfter;
        try {
            retryAfter = mine.outcome().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        return retryAfter == 0 ? new RateLimiter.Decision(true, 0) : new RateLimiter.Decision(false, retryAfter);
    }

    /** A writer thread: takes what is queued, writes it in one transaction, answers its callers; until stopped. */
    private void writeQueued() {
        List<Pending> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                // one writer at a time runs its statements: what queues while the other's run joins this batch
                try {
                    statements.lockInterruptibly();
                } catch (InterruptedException e) {
                    first.outcome().completeExceptionally(stopped());
                    throw e;
                }
                batch.clear();
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                writeBatch(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                // writeBatch has answered its callers; nothing must end the writer
                log.error("Writing page views failed", e);
            }
        }
        for (Pending p; (p = queue.poll()) != null; ) {
            p.outcome().completeExceptionally(stopped());
        }
    }

    private static IllegalStateException stopped() {
        return new IllegalStateException("the app stopped before the page view was written");
    }

    /**
     * Writes the batch in one transaction and answers each caller: stored, refused by the rate limit, or the failure.
     * Called holding {@link #statements}, which it lets go once the statements have run: the other writer's statements
     * run while this commit waits for its WAL flush.
     */
    private void writeBatch(List<Pending> batch) {
        Map<Pending, Long> refused;
        boolean holding = true;
        try {
            PlatformTransactionManager manager = transaction.getTransactionManager();
            TransactionStatus status = manager.getTransaction(transaction);
            try {
                refused = write(batch);
            } catch (RuntimeException | Error e) {
                try {
                    manager.rollback(status);
                } catch (RuntimeException | Error r) {
                    e.addSuppressed(r);
                }
                throw e;
            }
            statements.unlock();
            holding = false;
            manager.commit(status);
        } catch (RuntimeException | Error e) {
            batch.forEach(p -> p.outcome().completeExceptionally(e));
            throw e;
        } finally {
            if (holding) {
                statements.unlock();
            }
        }
        for (Pending p : batch) {
            p.outcome().complete(refused.getOrDefault(p, 0L));
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        running = false;
        for (Thread writer : writers) {
            writer.join(Duration.ofSeconds(10));
        }
    }

    /** Writes the batch's views its clients' rate limits let through; answers the others with their retry-after. */
    private Map<Pending, Long> write(List<Pending> batch) {
        Map<String, Integer> wanted = new HashMap<>();
        batch.forEach(p -> wanted.merge(p.client(), 1, Integer::sum));
        Map<String, RateLimiter.Grant> grants = limiter.takeAll(wanted);
        Map<String, Integer> left = new HashMap<>();
        grants.forEach((client, grant) -> left.put(client, grant.granted()));
        Map<Pending, Long> refused = new IdentityHashMap<>(); // by identity: two views may be equal
        List<Pending> passed = new ArrayList<>(batch.size());
        for (Pending p : batch) { // in the order they came: a client's first views pass
            int n = left.getOrDefault(p.client(), 0);
            if (n > 0) {
                left.put(p.client(), n - 1);
                passed.add(p);
            } else {
                RateLimiter.Grant grant = grants.get(p.client());
                refused.put(p, grant == null ? 1 : Math.max(1, grant.retryAfterSeconds()));
            }
        }
        if (!passed.isEmpty()) {
            store(passed);
        }
        return refused;
    }

    private void store(List<Pending> batch) {
        // the visitors whose prospect withdrew tracking consent: nothing of theirs is collected
        Set<String> withdrawn = consents.trackingWithdrawn(
                batch.stream().map(p -> p.view().visitor().value()).distinct().toList());
        List<Visitors.Sighting> sightings = new ArrayList<>();
        List<NewActivity> activities = new ArrayList<>();
        for (Pending p : batch) {
            String visitor = p.view().visitor().value();
            if (withdrawn.contains(visitor)) {
                continue;
            }
            Map<String, String> properties = new LinkedHashMap<>();
            properties.put("url", p.view().url());
            putIfPresent(properties, "title", p.view().title());
            putIfPresent(properties, "referrer", p.view().referrer());
            properties.putAll(p.view().utm());
            putIfPresent(properties, "userAgent", p.userAgent());
            byte[] random = new byte[8];
            RANDOM.nextBytes(random);
            sightings.add(new Visitors.Sighting(
                    visitor,
                    p.at(),
                    p.userAgent(),
                    p.bot(),
                    json.writeValueAsString(p.view().utm())));
            activities.add(new NewActivity(
                    "pv-" + visitor + "-" + HexFormat.of().formatHex(random),
                    null,
                    null,
                    visitor,
                    ActivityType.PAGE_VIEW,
                    null,
                    p.at(),
                    null,
                    properties,
                    p.bot()));
        }
        if (!activities.isEmpty()) {
            // the views of visitors linked to no prospect are stored processed (intake would only mark them so); those
            // of linked visitors are queued for intake, which applies them to their prospect
            Set<String> anonymous = visitors.seenAll(sightings);
            List<NewActivity> queued = new ArrayList<>();
            List<NewActivity> processed = new ArrayList<>();
            for (NewActivity a : activities) {
                (anonymous.contains(a.visitorId()) ? processed : queued).add(a);
            }
            intake.acceptAnonymousProcessed(processed);
            intake.accept(queued);
        }
    }

    private static void putIfPresent(Map<String, String> map, String key, String value) {
        if (value != null && !value.isEmpty()) {
            map.put(key, value);
        }
    }
}

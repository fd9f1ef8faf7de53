package dev.kindling.capture.tracking;

import dev.kindling.engine.activity.ActivityType;
import dev.kindling.intake.ActivityIntake;
import dev.kindling.intake.NewActivity;
import dev.kindling.intake.Visitors;
import dev.kindling.privacy.Consents;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Records page views: a PAGE_VIEW activity of the visitor, and the visitor row (first and last seen, user agent, bot
 * flag, and the UTM parameters of its first tracked visit). A page view is durable when {@link #record} returns — the
 * collect endpoint answers only then — but concurrent page views share one transaction (<b>group commit</b>): each
 * caller queues its view and takes the writing lock; whoever holds it writes every view queued so far (its own among
 * them, unless an earlier holder already did) in one transaction of three statements (the consent check, the visitor
 * upsert, the activity insert) and one commit, then wakes their callers. Under load a commit carries as many views as
 * arrived while the previous one was written; alone, a view is written at once. If the transaction fails, every
 * caller of the batch gets the failure and nothing of the batch is stored.
 */
@Component
class PageViews {

    /** The most views one transaction writes (the intake's batch maximum). */
    static final int MAX_BATCH = 1000;

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A view waiting to be written, and its outcome once written (done; failure null when stored). */
    private static final class Pending {
        final PageView view;
        final String userAgent;
        final boolean bot;
        final Instant at;
        volatile boolean done;
        volatile RuntimeException failure;

        Pending(PageView view, String userAgent, boolean bot, Instant at) {
            this.view = view;
            this.userAgent = userAgent;
            this.bot = bot;
            this.at = at;
        }
    }

    private final ActivityIntake intake;
    private final Visitors visitors;
    private final JsonMapper json;
    private final Clock clock;
    private final Consents consents;
    private final TransactionTemplate transaction;
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock writing = new ReentrantLock();

    PageViews(
            ActivityIntake intake,
            Visitors visitors,
            JsonMapper json,
            Clock clock,
            Consents consents,
            TransactionTemplate transaction) {
        this.consents = consents;
        this.intake = intake;
        this.visitors = visitors;
        this.json = json;
        this.clock = clock;
        this.transaction = transaction;
    }

    /** Records the view, committed on return (with whatever other views were waiting at the same time). */
    void record(PageView view, String userAgent, boolean bot) {
        Pending mine = new Pending(view, userAgent, bot, clock.instant());
        queue.add(mine);
        while (!mine.done) {
            writing.lock();
            try {
                if (!mine.done) {
                    writeQueued();
                }
            } finally {
                writing.unlock();
            }
        }
        if (mine.failure != null) {
            throw mine.failure;
        }
    }

    /** Writes up to {@link #MAX_BATCH} queued views in one transaction and marks them done; holds the lock. */
    private void writeQueued() {
        List<Pending> batch = new ArrayList<>();
        Pending next;
        while (batch.size() < MAX_BATCH && (next = queue.poll()) != null) {
            batch.add(next);
        }
        if (batch.isEmpty()) {
            return;
        }
        RuntimeException failure = null;
        try {
            transaction.executeWithoutResult(status -> write(batch));
        } catch (RuntimeException e) {
            failure = e;
        }
        for (Pending p : batch) {
            p.failure = failure;
            p.done = true;
        }
    }

    private void write(List<Pending> batch) {
        // the visitors whose prospect withdrew tracking consent: nothing of theirs is collected
        Set<String> withdrawn = consents.trackingWithdrawn(
                batch.stream().map(p -> p.view.visitor().value()).distinct().toList());
        List<Visitors.Sighting> sightings = new ArrayList<>();
        List<NewActivity> activities = new ArrayList<>();
        for (Pending p : batch) {
            String visitor = p.view.visitor().value();
            if (withdrawn.contains(visitor)) {
                continue;
            }
            Map<String, String> properties = new LinkedHashMap<>();
            properties.put("url", p.view.url());
            putIfPresent(properties, "title", p.view.title());
            putIfPresent(properties, "referrer", p.view.referrer());
            properties.putAll(p.view.utm());
            putIfPresent(properties, "userAgent", p.userAgent);
            byte[] random = new byte[8];
            RANDOM.nextBytes(random);
            sightings.add(
                    new Visitors.Sighting(visitor, p.at, p.userAgent, p.bot, json.writeValueAsString(p.view.utm())));
            activities.add(new NewActivity(
                    "pv-" + visitor + "-" + HexFormat.of().formatHex(random),
                    null,
                    null,
                    visitor,
                    ActivityType.PAGE_VIEW,
                    null,
                    p.at,
                    null,
                    properties,
                    p.bot));
        }
        if (!activities.isEmpty()) {
            visitors.seenAll(sightings);
            intake.accept(activities);
        }
    }

    private static void putIfPresent(Map<String, String> map, String key, String value) {
        if (value != null && !value.isEmpty()) {
            map.put(key, value);
        }
    }
}

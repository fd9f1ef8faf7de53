package dev.kindling.capture.forms;

import dev.kindling.platform.web.FieldError;
import dev.kindling.prospects.CustomField;
import dev.kindling.prospects.Prospects;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Form posts stored together (<b>group commit</b>, as the collect endpoint's page views): each post is stored when
 * {@link #submit} returns — the handler redirects only then — but concurrent posts share one transaction. Each caller
 * queues its post and takes the writing lock; whoever holds it checks every post queued so far (one read of the
 * custom fields for all) and stores the valid ones with one round of set-based statements
 * ({@link FormSubmissions#submitAll}: the prospects, their FORM_SUBMITs, then each one's visitor link and completion
 * actions) and one commit, then wakes their callers. Under load a commit carries as many posts as arrived while the
 * previous one was stored; alone, a post is stored at once.
 *
 * <p>Whatever is not the common case goes alone through {@link FormSubmissions#submit}, in the caller's thread and a
 * transaction of its own, exactly as before: a post with errors (its FORM_ERROR, its error answer), a form with
 * progressive profiling (what the submitter already has decides what is required), and every post of a batch whose
 * transaction failed (an erased person's address, a deadlock, a completion action's error): one post's failure is
 * never another's.
 */
@Component
class FormPosts {

    /** The most posts one transaction stores. */
    static final int MAX_BATCH = 200;

    private static final Logger log = LoggerFactory.getLogger(FormPosts.class);

    /** A post waiting to be stored, and what became of it (done; its outcome, or alone: to be submitted alone). */
    private static final class Pending {
        final Form form;
        final Map<String, String> posted;
        final FormSubmissions.Origin origin;
        final Instant at;
        volatile boolean done;
        volatile boolean alone;
        volatile FormSubmissions.Outcome outcome;

        Pending(Form form, Map<String, String> posted, FormSubmissions.Origin origin, Instant at) {
            this.form = form;
            this.posted = posted;
            this.origin = origin;
            this.at = at;
        }
    }

    private final FormSubmissions submissions;
    private final Prospects prospects;
    private final Clock clock;
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock writing = new ReentrantLock();

    FormPosts(FormSubmissions submissions, Prospects prospects, Clock clock) {
        this.submissions = submissions;
        this.prospects = prospects;
        this.clock = clock;
    }

    /** Validates and stores a post, committed on return (with whatever other posts were waiting at the same time). */
    FormSubmissions.Outcome submit(
            Form form, Map<String, String> posted, FormSubmissions.Origin origin, boolean progressive) {
        if (progressive) {
            return submissions.submit(form, posted, origin, true);
        }
        Pending mine = new Pending(form, posted, origin, clock.instant());
        queue.add(mine);
        while (!mine.done) {
            writing.lock();
            try {
                if (!mine.done) {
                    storeQueued();
                }
            } finally {
                writing.unlock();
            }
        }
        return mine.alone ? submissions.submit(form, posted, origin, false) : mine.outcome;
    }

    /** Stores up to {@link #MAX_BATCH} queued posts in one transaction and marks them done; holds the lock. */
    private void storeQueued() {
        List<Pending> batch = new ArrayList<>();
        Pending next;
        while (batch.size() < MAX_BATCH && (next = queue.poll()) != null) {
            batch.add(next);
        }
        if (batch.isEmpty()) {
            return;
        }
        List<Pending> valid = new ArrayList<>();
        try {
            Map<String, CustomField> customFields = prospects.customFields();
            List<FormSubmissions.Valid> posts = new ArrayList<>();
            for (Pending p : batch) {
                FormSubmissions.Checked checked = FormSubmissions.check(p.form, p.posted, Set.of(), customFields);
                if (checked.valid()) {
                    valid.add(p);
                    posts.add(new FormSubmissions.Valid(p.form, checked.changes(), p.origin, p.at));
                } else {
                    p.alone = true;
                }
            }
            if (!posts.isEmpty()) {
                List<Long> ids = submissions.submitAll(posts);
                for (int i = 0; i < valid.size(); i++) {
                    valid.get(i).outcome = new FormSubmissions.Outcome(ids.get(i), List.<FieldError>of());
                }
            }
        } catch (RuntimeException e) {
            log.debug("{} form posts stored together failed; each is stored alone", batch.size(), e);
            for (Pending p : batch) {
                p.outcome = null;
                p.alone = true;
            }
        } finally {
            for (Pending p : batch) {
                if (p.outcome == null) {
                    p.alone = true;
                }
                p.done = true;
            }
        }
    }
}

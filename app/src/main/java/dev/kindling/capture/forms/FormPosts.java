package dev.kindling.capture.forms;

import dev.kindling.platform.database.TakenTogether;
import dev.kindling.platform.web.FieldError;
import dev.kindling.prospects.CustomField;
import dev.kindling.prospects.Prospects;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    /** A post waiting to be stored. */
    private record Pending(Form form, Map<String, String> posted, FormSubmissions.Origin origin, Instant at) {}

    private final FormSubmissions submissions;
    private final Prospects prospects;
    private final Clock clock;
    // each post's outcome, or null: to be stored alone
    private final TakenTogether<Pending, FormSubmissions.Outcome> together =
            new TakenTogether<>(MAX_BATCH, this::storeAll);

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
        FormSubmissions.Outcome outcome = together.take(new Pending(form, posted, origin, clock.instant()));
        return outcome != null ? outcome : submissions.submit(form, posted, origin, false);
    }

    /**
     * Stores these posts in one transaction: their outcomes in order, null for a post to be stored alone (invalid: its
     * errors come from the one-by-one path; or the group failed).
     */
    private List<FormSubmissions.Outcome> storeAll(List<Pending> batch) {
        FormSubmissions.Outcome[] outcomes = new FormSubmissions.Outcome[batch.size()];
        try {
            Map<String, CustomField> customFields = prospects.customFields();
            List<Integer> valid = new ArrayList<>();
            List<FormSubmissions.Valid> posts = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                Pending p = batch.get(i);
                FormSubmissions.Checked checked = FormSubmissions.check(p.form(), p.posted(), Set.of(), customFields);
                if (checked.valid()) {
                    valid.add(i);
                    posts.add(new FormSubmissions.Valid(p.form(), checked.changes(), p.origin(), p.at()));
                }
            }
            if (!posts.isEmpty()) {
                List<Long> ids = submissions.submitAll(posts);
                for (int k = 0; k < valid.size(); k++) {
                    outcomes[valid.get(k)] = new FormSubmissions.Outcome(ids.get(k), List.<FieldError>of());
                }
            }
        } catch (RuntimeException e) {
            log.debug("{} form posts stored together failed; each is stored alone", batch.size(), e);
            Arrays.fill(outcomes, null);
        }
        return Arrays.asList(outcomes);
    }
}

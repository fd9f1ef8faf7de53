package dev.kindling.engine.lifecycle;

import dev.kindling.engine.activity.Activity;
import dev.kindling.engine.activity.ActivityType;
import dev.kindling.engine.grading.Grade;
import dev.kindling.engine.identity.EmailAddress;
import dev.kindling.engine.identity.FreeMailDomains;
import dev.kindling.engine.intake.IntakeEvent.StageChanged;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The lifecycle decisions: given a prospect's stage and what just happened, which transitions of the
 * {@link StageTable} fire. Pure: the caller passes the instant; every transition comes back as a
 * {@link StageChanged} with its cause — {@code activity:<id>}, {@code threshold:…}, {@code policy:…} or
 * {@code user:<who>}. Transitions are timed at the instant the decision is made, so a prospect's history
 * is always in order (an imported activity's own time stays on the activity the cause names).
 */
public final class Lifecycle {

    /** Stages a user may move a prospect to (every stage but the visitors' one). */
    public static final Set<LifecycleStage> MANUAL_TARGETS = Set.copyOf(EnumSet.complementOf(EnumSet.of(LifecycleStage.ANONYMOUS)));

    private final StageTable table;
    private final LifecyclePolicy policy;

    public Lifecycle(StageTable table, LifecyclePolicy policy) {
        this.table = table;
        this.policy = policy;
    }

    public LifecyclePolicy policy() {
        return policy;
    }

    /**
     * What one activity does, in this order: a hand-raise (→ SQL), an engaging activity (→ ENGAGED), then the
     * MQL thresholds with the score and grade as they stand after the activity. A recycled prospect that engages
     * and qualifies is recorded RECYCLED → ENGAGED → MQL. Bot activities do nothing.
     */
    public List<StageChanged> onActivity(long prospectId, LifecycleStage stage, int score, Grade grade,
            Activity activity, Instant now) {
        List<StageChanged> out = new ArrayList<>();
        if (activity.bot()) {
            return out;
        }
        String cause = "activity:" + activity.id();
        LifecycleStage current = stage;
        if (isHandRaise(activity)) {
            current = fire(out, prospectId, current, Trigger.HAND_RAISE, now, cause);
        }
        if (policy.engagingTypes().contains(activity.type())) {
            current = fire(out, prospectId, current, Trigger.ENGAGING_ACTIVITY, now, cause);
        }
        qualify(prospectId, current, score, grade, now).ifPresent(out::add);
        return out;
    }

    /** The MQL thresholds alone: after a grade change, a threshold change or an activity. */
    public Optional<StageChanged> qualify(long prospectId, LifecycleStage stage, int score, Grade grade, Instant now) {
        if (!policy.qualifies(score, grade)) {
            return Optional.empty();
        }
        String cause = "threshold:score " + score + " >= " + policy.mqlScore() + " and grade " + grade.display()
                + " >= " + policy.mqlGrade().display();
        return move(prospectId, stage, Trigger.MQL_THRESHOLD, now, cause);
    }

    /**
     * When the inactivity check of a prospect falls due: {@code lastSeen} (its last activity, or its capture when it
     * has none) plus the inactivity period, for the stages inactivity recycles; null otherwise.
     */
    public Instant inactivityCheckAt(LifecycleStage stage, Instant lastSeen) {
        if (lastSeen == null || table.next(stage, Trigger.INACTIVITY).isEmpty()) {
            return null;
        }
        return lastSeen.plus(Duration.ofDays(policy.inactivityDays()));
    }

    /** Recycles a prospect silent for the inactivity period as of {@code now}; empty if it is not (or not eligible). */
    public Optional<StageChanged> inactivity(long prospectId, LifecycleStage stage, Instant lastSeen, Instant now) {
        Instant due = inactivityCheckAt(stage, lastSeen);
        if (due == null || due.isAfter(now)) {
            return Optional.empty();
        }
        return move(prospectId, stage, Trigger.INACTIVITY, now,
                "policy:no activity for " + policy.inactivityDays() + " days since " + lastSeen);
    }

    /** The disqualification policies applied to a newly captured prospect: invalid email, competitor, free mail. */
    public Optional<StageChanged> atCapture(long prospectId, LifecycleStage stage, String email, Instant now) {
        EmailAddress address = EmailAddress.parse(email);
        if (address == null) {
            return move(prospectId, stage, Trigger.INVALID_EMAIL, now, "policy:invalid email");
        }
        String domain = address.domain();
        if (policy.isCompetitor(domain)) {
            return move(prospectId, stage, Trigger.COMPETITOR_DOMAIN, now, "policy:competitor domain " + domain);
        }
        if (policy.disqualifyFreeMail() && FreeMailDomains.contains(domain)) {
            return move(prospectId, stage, Trigger.FREE_MAIL_DOMAIN, now, "policy:free-mail domain " + domain);
        }
        return Optional.empty();
    }

    /** A user's move: any stage to any other but ANONYMOUS. */
    public StageChanged manual(long prospectId, LifecycleStage from, LifecycleStage to, Instant now, String user) {
        if (!MANUAL_TARGETS.contains(to)) {
            throw new IllegalArgumentException("a prospect cannot be moved to " + to);
        }
        if (from == to) {
            throw new IllegalArgumentException("the prospect is already " + to);
        }
        return new StageChanged(prospectId, from, to, now, "user:" + user);
    }

    /** The table's move for this trigger, as an event; empty when the stage ignores the trigger. */
    public Optional<StageChanged> move(long prospectId, LifecycleStage from, Trigger trigger, Instant at, String cause) {
        return table.next(from, trigger).filter(to -> to != from)
                .map(to -> new StageChanged(prospectId, from, to, at, cause));
    }

    private LifecycleStage fire(List<StageChanged> out, long prospectId, LifecycleStage from, Trigger trigger,
            Instant at, String cause) {
        Optional<StageChanged> moved = move(prospectId, from, trigger, at, cause);
        moved.ifPresent(out::add);
        return moved.map(StageChanged::to).orElse(from);
    }

    private boolean isHandRaise(Activity activity) {
        if (policy.handRaiseTypes().contains(activity.type())) {
            return true;
        }
        String form = activity.properties().get("formName");
        return activity.type() == ActivityType.FORM_SUBMIT && form != null
                && policy.handRaiseForms().contains(form.strip().toLowerCase(Locale.ROOT));
    }
}

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
 * {@code user:<who>}.
 *
 * <p><b>Transition time.</b> The caller passes the instant a move is dated at. Activity-caused moves (and the MQL
 * threshold the activity's score crosses) are dated when the activity happened, inactivity when it fell due, never
 * before the prospect's previous transition or capture ({@link #transitionTime}) — so imported history keeps its
 * dates and a prospect's history stays in order. Manual, grade and threshold-edit moves are dated at the decision.
 */
public final class Lifecycle {

    /** Stages a user may move a prospect to (every stage but the visitors' one). */
    public static final Set<LifecycleStage> MANUAL_TARGETS =
            Set.copyOf(EnumSet.complementOf(EnumSet.of(LifecycleStage.ANONYMOUS)));

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
     * The instant an activity's moves are dated at: when it happened (but not after {@code now}, should a clock be
     * ahead), and never before {@code since}, the prospect's previous transition or capture. A back-dated activity
     * arriving after later transitions is thus dated at the last of them.
     */
    public static Instant activityTime(Activity activity, Instant since, Instant now) {
        Instant occurred = activity.occurredAt().isAfter(now) ? now : activity.occurredAt();
        return transitionTime(occurred, since);
    }

    /** {@code wanted}, or {@code since} when the wanted instant is before it (null: no floor). */
    public static Instant transitionTime(Instant wanted, Instant since) {
        return since != null && since.isAfter(wanted) ? since : wanted;
    }

    /**
     * What one activity does, in this order: a hand-raise (→ SQL), an engaging activity (→ ENGAGED), then the
     * MQL thresholds with the score and grade as they stand after the activity. A recycled prospect that engages
     * and qualifies is recorded RECYCLED → ENGAGED → MQL. Bot activities do nothing. Every move is dated {@code at}
     * (see {@link #activityTime}).
     */
    public List<StageChanged> onActivity(
            long prospectId, LifecycleStage stage, int score, Grade grade, Activity activity, Instant at) {
        return onActivity(prospectId, stage, score, grade, null, activity, at);
    }

    /**
     * {@link #onActivity(long, LifecycleStage, int, Grade, Activity, Instant)} for a prospect whose latest key action
     * (the activity itself included, when it is one) happened at {@code lastKeyAction}: with the key action condition
     * on, the MQL move also needs it within the policy's days before {@code at}.
     */
    public List<StageChanged> onActivity(
            long prospectId,
            LifecycleStage stage,
            int score,
            Grade grade,
            Instant lastKeyAction,
            Activity activity,
            Instant at) {
        List<StageChanged> out = new ArrayList<>();
        if (activity.bot()) {
            return out;
        }
        String cause = "activity:" + activity.id();
        LifecycleStage current = stage;
        if (isHandRaise(activity)) {
            current = fire(out, prospectId, current, Trigger.HAND_RAISE, at, cause);
        }
        if (policy.engagingTypes().contains(activity.type())) {
            current = fire(out, prospectId, current, Trigger.ENGAGING_ACTIVITY, at, cause);
        }
        qualify(prospectId, current, score, grade, lastKeyAction, at).ifPresent(out::add);
        return out;
    }

    /**
     * The MQL thresholds alone, for a prospect with no key action known (so never when the key action condition is
     * on): after a grade change, a threshold change or an activity.
     */
    public Optional<StageChanged> qualify(long prospectId, LifecycleStage stage, int score, Grade grade, Instant now) {
        return qualify(prospectId, stage, score, grade, null, now);
    }

    /**
     * The MQL conditions at {@code now}: score and grade at or above the thresholds and, when the policy asks for it,
     * a key action (the latest at {@code lastKeyAction}) within its days before {@code now}.
     */
    public Optional<StageChanged> qualify(
            long prospectId, LifecycleStage stage, int score, Grade grade, Instant lastKeyAction, Instant now) {
        if (!policy.qualifies(score, grade) || !policy.keyActionWithin(lastKeyAction, now)) {
            return Optional.empty();
        }
        String cause = "threshold:score " + score + " >= " + policy.mqlScore() + " and grade " + grade.display()
                + " >= " + policy.mqlGrade().display();
        if (policy.keyActionRequired()) {
            cause += " and key action at " + lastKeyAction + " within " + policy.mqlKeyActionDays() + " days";
        }
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

    /**
     * Recycles a prospect silent for the inactivity period as of {@code now}; empty if it is not (or not eligible).
     * The move is dated when it fell due (however late the check runs), not before {@code since}.
     */
    public Optional<StageChanged> inactivity(
            long prospectId, LifecycleStage stage, Instant lastSeen, Instant since, Instant now) {
        Instant due = inactivityCheckAt(stage, lastSeen);
        if (due == null || due.isAfter(now)) {
            return Optional.empty();
        }
        return move(
                prospectId,
                stage,
                Trigger.INACTIVITY,
                transitionTime(due, since),
                "policy:no activity for " + policy.inactivityDays() + " days since " + lastSeen);
    }

    /**
     * Intake's own inactivity check, before it applies {@code activity}: when the prospect's pending check
     * ({@code checkAt}, one period after its previous activity) fell due before the activity happened (and by
     * {@code now}), the silence was real — the prospect is recycled as of {@code checkAt} (not before {@code since}),
     * and the activity then re-engages it. An activity at the due instant itself is in time. Bot activities, which do
     * not break a silence, recycle nothing either.
     */
    public Optional<StageChanged> inactivityBefore(
            long prospectId, LifecycleStage stage, Instant checkAt, Instant since, Activity activity, Instant now) {
        if (activity.bot() || checkAt == null || !checkAt.isBefore(activity.occurredAt()) || checkAt.isAfter(now)) {
            return Optional.empty();
        }
        Instant lastSeen = checkAt.minus(Duration.ofDays(policy.inactivityDays()));
        return move(
                prospectId,
                stage,
                Trigger.INACTIVITY,
                transitionTime(checkAt, since),
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
    public Optional<StageChanged> move(
            long prospectId, LifecycleStage from, Trigger trigger, Instant at, String cause) {
        return table.next(from, trigger)
                .filter(to -> to != from)
                .map(to -> new StageChanged(prospectId, from, to, at, cause));
    }

    private LifecycleStage fire(
            List<StageChanged> out, long prospectId, LifecycleStage from, Trigger trigger, Instant at, String cause) {
        Optional<StageChanged> moved = move(prospectId, from, trigger, at, cause);
        moved.ifPresent(out::add);
        return moved.map(StageChanged::to).orElse(from);
    }

    private boolean isHandRaise(Activity activity) {
        if (policy.handRaiseTypes().contains(activity.type())) {
            return true;
        }
        String form = activity.properties().get("formName");
        return activity.type() == ActivityType.FORM_SUBMIT
                && form != null
                && policy.handRaiseForms().contains(form.strip().toLowerCase(Locale.ROOT));
    }
}

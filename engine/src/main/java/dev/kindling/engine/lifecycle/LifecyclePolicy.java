package dev.kindling.engine.lifecycle;

import dev.kindling.engine.activity.ActivityType;
import dev.kindling.engine.grading.Grade;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The editable part of the lifecycle: MQL thresholds, which activities engage and which raise a hand,
 * the inactivity period, and the disqualification policies. Form names and domains are kept lower case.
 *
 * @param handRaiseForms     names of "contact sales" forms: submitting one is a hand-raise
 * @param competitorDomains  email domains (and their subdomains) of competitors
 * @param mqlKeyActionTypes  the optional third MQL condition ("and did a key action within N days"): activities of
 *                           these types are key actions; empty (the default) leaves the condition off
 * @param mqlKeyActionDays   how recent the latest key action must be, in days before the qualifying instant
 *                           (1 … 3650 when key action types are set; ignored otherwise)
 * @param recycle            what recycling does to the score ({@link RecyclePolicy#DEFAULT}: reset to 0)
 */
public record LifecyclePolicy(
        int mqlScore,
        Grade mqlGrade,
        Set<ActivityType> engagingTypes,
        Set<ActivityType> handRaiseTypes,
        Set<String> handRaiseForms,
        int inactivityDays,
        boolean disqualifyFreeMail,
        Set<String> competitorDomains,
        Set<ActivityType> mqlKeyActionTypes,
        int mqlKeyActionDays,
        RecyclePolicy recycle) {

    public static final int MAX_KEY_ACTION_DAYS = 3650;

    public static final Set<ActivityType> DEFAULT_ENGAGING = Set.copyOf(EnumSet.of(
            ActivityType.EMAIL_CLICK,
            ActivityType.FORM_SUBMIT,
            ActivityType.WEBINAR_ATTENDED,
            ActivityType.EVENT_ATTENDED,
            ActivityType.FILE_DOWNLOAD,
            ActivityType.CHAT,
            ActivityType.DEMO_REQUEST));

    public static final LifecyclePolicy DEFAULTS = new LifecyclePolicy(
            50,
            Grade.C,
            DEFAULT_ENGAGING,
            Set.of(ActivityType.DEMO_REQUEST),
            Set.of("contact sales"),
            90,
            true,
            Set.of());

    public LifecyclePolicy {
        Objects.requireNonNull(mqlGrade, "mqlGrade");
        engagingTypes = Set.copyOf(engagingTypes);
        handRaiseTypes = Set.copyOf(handRaiseTypes);
        handRaiseForms = lower(handRaiseForms);
        competitorDomains = lower(competitorDomains);
        mqlKeyActionTypes = Set.copyOf(mqlKeyActionTypes);
        recycle = recycle == null ? RecyclePolicy.DEFAULT : recycle;
        if (inactivityDays < 1) {
            throw new IllegalArgumentException("inactivityDays must be at least 1");
        }
        if (mqlKeyActionDays < 0
                || mqlKeyActionDays > MAX_KEY_ACTION_DAYS
                || (!mqlKeyActionTypes.isEmpty() && mqlKeyActionDays < 1)) {
            throw new IllegalArgumentException("mqlKeyActionDays must be from 1 to " + MAX_KEY_ACTION_DAYS
                    + " when key action types are set (0 … " + MAX_KEY_ACTION_DAYS + " otherwise)");
        }
    }

    /** A policy with the default recycling. */
    public LifecyclePolicy(
            int mqlScore,
            Grade mqlGrade,
            Set<ActivityType> engagingTypes,
            Set<ActivityType> handRaiseTypes,
            Set<String> handRaiseForms,
            int inactivityDays,
            boolean disqualifyFreeMail,
            Set<String> competitorDomains,
            Set<ActivityType> mqlKeyActionTypes,
            int mqlKeyActionDays) {
        this(
                mqlScore,
                mqlGrade,
                engagingTypes,
                handRaiseTypes,
                handRaiseForms,
                inactivityDays,
                disqualifyFreeMail,
                competitorDomains,
                mqlKeyActionTypes,
                mqlKeyActionDays,
                RecyclePolicy.DEFAULT);
    }

    /** A policy without the key action condition. */
    public LifecyclePolicy(
            int mqlScore,
            Grade mqlGrade,
            Set<ActivityType> engagingTypes,
            Set<ActivityType> handRaiseTypes,
            Set<String> handRaiseForms,
            int inactivityDays,
            boolean disqualifyFreeMail,
            Set<String> competitorDomains) {
        this(
                mqlScore,
                mqlGrade,
                engagingTypes,
                handRaiseTypes,
                handRaiseForms,
                inactivityDays,
                disqualifyFreeMail,
                competitorDomains,
                Set.of(),
                0);
    }

    /** Whether a score and grade (null: not graded) meet both MQL thresholds. */
    public boolean qualifies(int score, Grade grade) {
        return score >= mqlScore && grade != null && grade.isAtLeast(mqlGrade);
    }

    /** Whether the key action condition is on (some activity types are key actions). */
    public boolean keyActionRequired() {
        return !mqlKeyActionTypes.isEmpty();
    }

    /** Whether activities of this type are key actions. */
    public boolean isKeyAction(ActivityType type) {
        return mqlKeyActionTypes.contains(type);
    }

    /**
     * Whether the key action condition holds at {@code at} for a prospect whose latest key action (at or before
     * {@code at}) happened at {@code lastKeyAction} (null: none known): always when the condition is off, else when
     * that action lies within the last {@link #mqlKeyActionDays} days — the bounds included.
     */
    public boolean keyActionWithin(Instant lastKeyAction, Instant at) {
        if (!keyActionRequired()) {
            return true;
        }
        return lastKeyAction != null && !lastKeyAction.isAfter(at) && !lastKeyAction.isBefore(keyActionWindowStart(at));
    }

    /** The earliest instant a key action may have happened to count at {@code at}. */
    public Instant keyActionWindowStart(Instant at) {
        return at.minus(Duration.ofDays(mqlKeyActionDays));
    }

    /** This policy with another key action condition (types empty: off). */
    public LifecyclePolicy withKeyAction(Set<ActivityType> types, int days) {
        return new LifecyclePolicy(
                mqlScore,
                mqlGrade,
                engagingTypes,
                handRaiseTypes,
                handRaiseForms,
                inactivityDays,
                disqualifyFreeMail,
                competitorDomains,
                types,
                days,
                recycle);
    }

    /** Whether this domain is a competitor's: listed, or a subdomain of a listed one. */
    public boolean isCompetitor(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        for (String c : competitorDomains) {
            if (d.equals(c) || d.endsWith("." + c)) {
                return true;
            }
        }
        return false;
    }

    /** This policy with another competitor list. */
    public LifecyclePolicy withCompetitors(String... domains) {
        return new LifecyclePolicy(
                mqlScore,
                mqlGrade,
                engagingTypes,
                handRaiseTypes,
                handRaiseForms,
                inactivityDays,
                disqualifyFreeMail,
                Set.of(domains),
                mqlKeyActionTypes,
                mqlKeyActionDays,
                recycle);
    }

    /** This policy with another recycling. */
    public LifecyclePolicy withRecycle(RecyclePolicy r) {
        return new LifecyclePolicy(
                mqlScore,
                mqlGrade,
                engagingTypes,
                handRaiseTypes,
                handRaiseForms,
                inactivityDays,
                disqualifyFreeMail,
                competitorDomains,
                mqlKeyActionTypes,
                mqlKeyActionDays,
                r);
    }

    private static Set<String> lower(Set<String> values) {
        Set<String> out = new TreeSet<>();
        for (String v : values) {
            out.add(v.strip().toLowerCase(Locale.ROOT));
        }
        return Set.copyOf(out);
    }
}

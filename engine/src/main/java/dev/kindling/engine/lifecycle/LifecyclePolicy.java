package dev.kindling.engine.lifecycle;

import dev.kindling.engine.activity.ActivityType;
import dev.kindling.engine.grading.Grade;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The editable part of the lifecycle: MQL thresholds, which activities engage and which raise a hand,
 * the inactivity period, and the disqualification policies. Form names and domains are kept lower case.
 *
 * @param handRaiseForms    names of "contact sales" forms: submitting one is a hand-raise
 * @param competitorDomains email domains (and their subdomains) of competitors
 */
public record LifecyclePolicy(
        int mqlScore,
        Grade mqlGrade,
        Set<ActivityType> engagingTypes,
        Set<ActivityType> handRaiseTypes,
        Set<String> handRaiseForms,
        int inactivityDays,
        boolean disqualifyFreeMail,
        Set<String> competitorDomains) {

    public static final Set<ActivityType> DEFAULT_ENGAGING = Set.copyOf(EnumSet.of(ActivityType.EMAIL_CLICK,
            ActivityType.FORM_SUBMIT, ActivityType.WEBINAR_ATTENDED, ActivityType.EVENT_ATTENDED,
            ActivityType.FILE_DOWNLOAD, ActivityType.CHAT, ActivityType.DEMO_REQUEST));

    public static final LifecyclePolicy DEFAULTS = new LifecyclePolicy(50, Grade.C, DEFAULT_ENGAGING,
            Set.of(ActivityType.DEMO_REQUEST), Set.of("contact sales"), 90, true, Set.of());

    public LifecyclePolicy {
        Objects.requireNonNull(mqlGrade, "mqlGrade");
        engagingTypes = Set.copyOf(engagingTypes);
        handRaiseTypes = Set.copyOf(handRaiseTypes);
        handRaiseForms = lower(handRaiseForms);
        competitorDomains = lower(competitorDomains);
        if (inactivityDays < 1) {
            throw new IllegalArgumentException("inactivityDays must be at least 1");
        }
    }

    /** Whether a score and grade (null: not graded) meet both MQL thresholds. */
    public boolean qualifies(int score, Grade grade) {
        return score >= mqlScore && grade != null && grade.isAtLeast(mqlGrade);
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
        return new LifecyclePolicy(mqlScore, mqlGrade, engagingTypes, handRaiseTypes, handRaiseForms, inactivityDays,
                disqualifyFreeMail, Set.of(domains));
    }

    private static Set<String> lower(Set<String> values) {
        Set<String> out = new TreeSet<>();
        for (String v : values) {
            out.add(v.strip().toLowerCase(Locale.ROOT));
        }
        return Set.copyOf(out);
    }
}

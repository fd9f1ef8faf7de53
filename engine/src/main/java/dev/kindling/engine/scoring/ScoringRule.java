package dev.kindling.engine.scoring;

import dev.kindling.engine.activity.Activity;
import dev.kindling.engine.activity.ActivityType;
import java.util.Objects;

/**
 * One rule of a scoring model: activities of {@code type} that pass every filter given (a
 * {@code null} filter passes everything) are worth {@code points}, within the rule's caps.
 *
 * @param customName      for {@link ActivityType#CUSTOM}: the activity name to match (exact), else {@code null}
 * @param urlPattern      matched against the activity's {@code url} property, or {@code linkUrl} when it has none
 * @param formName        equal to the {@code formName} property
 * @param assetName       equal to the {@code assetName} property
 * @param emailId         equal to the {@code emailId} property
 * @param campaignId      equal to the activity's campaign
 * @param points          −1000..1000; negative points lower the score
 * @param maxPointsPerDay at most this many points (in absolute value) per prospect per UTC day of occurrence, or {@code null}
 * @param firstTimeOnly   the rule counts once per prospect and per value of {@code firstTimeKey}
 * @param firstTimeKey    the activity property that tells "times" apart (e.g. {@code emailId}: one open per
 *                        email); {@code null}: once per prospect
 * @param category        the named sub-score this rule feeds, or {@code null}
 * @param occurrence      the rule gives its points only to the activity that is the {@code occurrence}-th match
 *                        within a window of {@code withinDays} days (e.g. the 5th page view), or {@code null}
 * @param withinDays      the window of {@code occurrence}: fixed periods of that many days counted from
 *                        1970-01-01T00:00Z, like half-life periods; required with {@code occurrence}
 */
public record ScoringRule(
        long id,
        String name,
        ActivityType type,
        String customName,
        UrlPattern urlPattern,
        String formName,
        String assetName,
        String emailId,
        Long campaignId,
        int points,
        Integer maxPointsPerDay,
        boolean firstTimeOnly,
        String firstTimeKey,
        String category,
        Integer occurrence,
        Integer withinDays) {

    public static final int MIN_POINTS = -1000;
    public static final int MAX_OCCURRENCE = 1000;
    public static final int MAX_WITHIN_DAYS = 366;
    public static final int MAX_POINTS = 1000;

    public ScoringRule {
        Objects.requireNonNull(type, "type");
        if (points < MIN_POINTS || points > MAX_POINTS) {
            throw new IllegalArgumentException("points must be between " + MIN_POINTS + " and " + MAX_POINTS);
        }
        if (maxPointsPerDay != null && maxPointsPerDay < 1) {
            throw new IllegalArgumentException("maxPointsPerDay must be at least 1");
        }
        if ((occurrence == null) != (withinDays == null)) {
            throw new IllegalArgumentException("occurrence and withinDays go together");
        }
        if (occurrence != null
                && (occurrence < 1 || occurrence > MAX_OCCURRENCE || withinDays < 1 || withinDays > MAX_WITHIN_DAYS)) {
            throw new IllegalArgumentException(
                    "occurrence must be 1.." + MAX_OCCURRENCE + " and withinDays 1.." + MAX_WITHIN_DAYS);
        }
    }

    /** A rule without an occurrence condition. */
    public ScoringRule(
            long id,
            String name,
            ActivityType type,
            String customName,
            UrlPattern urlPattern,
            String formName,
            String assetName,
            String emailId,
            Long campaignId,
            int points,
            Integer maxPointsPerDay,
            boolean firstTimeOnly,
            String firstTimeKey,
            String category) {
        this(
                id,
                name,
                type,
                customName,
                urlPattern,
                formName,
                assetName,
                emailId,
                campaignId,
                points,
                maxPointsPerDay,
                firstTimeOnly,
                firstTimeKey,
                category,
                null,
                null);
    }

    /** A rule with only a type and points. */
    public static ScoringRule of(long id, String name, ActivityType type, int points) {
        return new ScoringRule(id, name, type, null, null, null, null, null, null, points, null, false, null, null);
    }

    public boolean matches(Activity activity) {
        if (activity.type() != type) {
            return false;
        }
        if (customName != null && !customName.equals(activity.customName())) {
            return false;
        }
        if (urlPattern != null) {
            String url = activity.properties().get("url");
            if (url == null) {
                url = activity.properties().get("linkUrl");
            }
            if (!urlPattern.matches(url)) {
                return false;
            }
        }
        return equalOrUnset(formName, activity.properties().get("formName"))
                && equalOrUnset(assetName, activity.properties().get("assetName"))
                && equalOrUnset(emailId, activity.properties().get("emailId"))
                && (campaignId == null || campaignId.equals(activity.campaignId()));
    }

    private static boolean equalOrUnset(String filter, String value) {
        return filter == null || filter.equals(value);
    }

    boolean capped() {
        return firstTimeOnly || maxPointsPerDay != null || occurrence != null;
    }
}

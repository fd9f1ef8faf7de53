package dev.kindling.engine.closedloop;

import dev.kindling.engine.activity.Activity;
import dev.kindling.engine.activity.ActivityType;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Something a prospect did, as the closed loop counts it: an activity type with its distinguishing facet
 * ({@code facet} names the property, e.g. {@code formName}; {@code null} for the type alone), or a frequency band:
 * at least {@code atLeast} activities of the type within one window of {@code withinDays} days (windows are fixed
 * periods counted from 1970-01-01T00:00Z, exactly as a scoring rule's {@code occurrence}/{@code withinDays} counts).
 */
public record Action(ActivityType type, String facet, String value, Integer atLeast, Integer withinDays) {

    /** The band window, in days ("a month"). */
    public static final int BAND_DAYS = 30;
    /** The frequency bands counted, per type (the seed's "10 downloads or 15 visits a month"). */
    public static final Map<ActivityType, List<Integer>> BANDS = Map.of(
            ActivityType.PAGE_VIEW, List.of(5, 15),
            ActivityType.FILE_DOWNLOAD, List.of(3, 10),
            ActivityType.EMAIL_OPEN, List.of(5),
            ActivityType.EMAIL_CLICK, List.of(3));
    /** Types that are not the prospect's own doing (or are sales' outcome), never actions. */
    public static final Set<ActivityType> IGNORED = Set.of(
            ActivityType.EMAIL_SENT,
            ActivityType.EMAIL_BOUNCE_SOFT,
            ActivityType.EMAIL_BOUNCE_HARD,
            ActivityType.LIST_IMPORT,
            ActivityType.OPPORTUNITY_CREATED,
            ActivityType.OPPORTUNITY_WON,
            ActivityType.OPPORTUNITY_LOST);

    public Action {
        Objects.requireNonNull(type, "type");
    }

    static Action of(ActivityType type, String facet, String value) {
        return value == null ? new Action(type, null, null, null, null) : new Action(type, facet, value, null, null);
    }

    public boolean band() {
        return atLeast != null;
    }

    /** A label for people: "FORM_SUBMIT formName=Demo", "PAGE_VIEW ≥ 5 in 30 days". */
    public String label() {
        if (band()) {
            return type + " ≥ " + atLeast + " in " + withinDays + " days";
        }
        return facet == null ? type.name() : type + " " + facet + "=" + value;
    }

    /** The facet action of one activity, or {@code null} for activities that are not counted. */
    public static Action of(Activity a) {
        if (a.bot() || IGNORED.contains(a.type())) {
            return null;
        }
        Map<String, String> p = a.properties();
        String value = switch (a.type()) {
            case PAGE_VIEW -> path(p.get("url"));
            case TRACKED_LINK_CLICK -> path(p.get("linkUrl"));
            case FORM_SUBMIT, FORM_ERROR -> p.get("formName");
            case FILE_DOWNLOAD -> p.get("assetName");
            case EMAIL_OPEN, EMAIL_CLICK -> p.get("emailId");
            case WEBINAR_REGISTERED, WEBINAR_ATTENDED, EVENT_ATTENDED ->
                a.campaignId() == null ? null : a.campaignId().toString();
            case CUSTOM -> a.customName();
            default -> null;
        };
        return of(a.type(), value);
    }

    /**
     * The facet action of a type with its facet's value (a URL path already normalised), the type alone when the
     * value is {@code null} or the type has no facet.
     */
    public static Action of(ActivityType type, String value) {
        String facet = switch (type) {
            case PAGE_VIEW, TRACKED_LINK_CLICK -> "urlPath";
            case FORM_SUBMIT, FORM_ERROR -> "formName";
            case FILE_DOWNLOAD -> "assetName";
            case EMAIL_OPEN, EMAIL_CLICK -> "emailId";
            case WEBINAR_REGISTERED, WEBINAR_ATTENDED, EVENT_ATTENDED -> "campaignId";
            case CUSTOM -> "customName";
            default -> null;
        };
        return of(type, facet, facet == null ? null : value);
    }

    /** Every action of a prospect's activities: their facet actions and the frequency bands they reach. */
    public static Set<Action> of(List<Activity> activities) {
        Set<Action> actions = new LinkedHashSet<>();
        Map<ActivityType, Map<Long, Integer>> perWindow = new java.util.EnumMap<>(ActivityType.class);
        for (Activity a : activities) {
            Action action = of(a);
            if (action == null) {
                continue;
            }
            actions.add(action);
            if (BANDS.containsKey(a.type())) {
                long window = Math.floorDiv(a.occurredAt().getEpochSecond(), BAND_DAYS * 86_400L);
                perWindow
                        .computeIfAbsent(a.type(), t -> new java.util.HashMap<>())
                        .merge(window, 1, Integer::sum);
            }
        }
        perWindow.forEach((type, windows) -> {
            int most =
                    windows.values().stream().mapToInt(Integer::intValue).max().orElse(0);
            for (int n : BANDS.get(type)) {
                if (most >= n) {
                    actions.add(new Action(type, null, null, n, BAND_DAYS));
                }
            }
        });
        return actions;
    }

    /** The normalised path of a URL: lower case, no query or fragment, no trailing slash ("/" for the root). */
    static String path(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        // plain text, not java.net.URI: the engine stays off the network packages (EngineBoundaryTest)
        // up to the first '?' or '#' (as split("[?#]", 2)[0], which compiled its pattern on every call)
        String rest = url.strip();
        int query = rest.indexOf('?');
        int fragment = rest.indexOf('#');
        int end = query < 0 ? fragment : fragment < 0 ? query : Math.min(query, fragment);
        if (end >= 0) {
            rest = rest.substring(0, end);
        }
        int scheme = rest.indexOf("://");
        if (scheme >= 0) {
            rest = rest.substring(scheme + 3);
            int slash = rest.indexOf('/');
            rest = slash < 0 ? "" : rest.substring(slash);
        }
        String path = rest;
        path = path.toLowerCase(Locale.ROOT);
        while (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return path.isEmpty() ? "/" : path;
    }

    /** A made-up activity with this action's facet, to ask which current rules match it. */
    Activity example(java.time.Instant at) {
        Map<String, String> props = new java.util.HashMap<>();
        Long campaign = null;
        String custom = null;
        if (facet != null) {
            switch (facet) {
                case "urlPath" -> props.put(type == ActivityType.PAGE_VIEW ? "url" : "linkUrl", "https://site" + value);
                case "campaignId" -> campaign = Long.valueOf(value);
                case "customName" -> custom = value;
                default -> props.put(facet, value);
            }
        }
        return new Activity(0, type, custom, at, campaign, props, false);
    }
}

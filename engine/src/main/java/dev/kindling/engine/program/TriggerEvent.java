package dev.kindling.engine.program;

import dev.kindling.engine.activity.Activity;
import dev.kindling.engine.activity.ActivityType;
import dev.kindling.engine.scoring.UrlPattern;
import java.util.Locale;

/**
 * What a TRIGGER step waits for the prospect to do. An activity matches when it is of the right type, not from a
 * bot, and meets the optional filters. Email triggers with no template id refer to the last email this enrollment
 * sent (Engagement Studio's "the email above"); with none sent yet, to any email.
 *
 * <p>The properties read: email activities name their template in {@code templateId} (else {@code emailId}),
 * clicks their link in {@code linkUrl} (else {@code url}), forms {@code formId} (else {@code formName}), page views
 * {@code url}, webinars {@code webinarId} (else {@code assetName}).
 */
public sealed interface TriggerEvent {

    /** The JSON {@code type} of this kind. */
    String type();

    /** Whether {@code activity} is this event; {@code lastEmail} is the template of the last email sent, or null. */
    boolean matches(Activity activity, String lastEmail);

    /** The email (the last one sent when {@code templateId} is null) was opened. */
    record EmailOpened(String templateId) implements TriggerEvent {
        public String type() {
            return "emailOpened";
        }

        public boolean matches(Activity activity, String lastEmail) {
            return activity.type() == ActivityType.EMAIL_OPEN && sameEmail(activity, templateId, lastEmail);
        }
    }

    /**
     * A link of the email (the last one sent when {@code templateId} is null) was clicked; {@code link}, when given,
     * is a {@link UrlPattern} the link must match.
     */
    record EmailClicked(String templateId, String link) implements TriggerEvent {
        public String type() {
            return "emailClicked";
        }

        public boolean matches(Activity activity, String lastEmail) {
            return activity.type() == ActivityType.EMAIL_CLICK
                    && sameEmail(activity, templateId, lastEmail)
                    && (link == null || new UrlPattern(link).matches(property(activity, "linkUrl", "url")));
        }
    }

    /** A form (the given one, by id or name ignoring case, or any) was submitted. */
    record FormSubmitted(String form) implements TriggerEvent {
        public String type() {
            return "formSubmitted";
        }

        public boolean matches(Activity activity, String lastEmail) {
            return activity.type() == ActivityType.FORM_SUBMIT
                    && (form == null
                            || sameText(form, activity.properties().get("formId"))
                            || sameText(form, activity.properties().get("formName")));
        }
    }

    /** A page whose URL matches the {@link UrlPattern} (contains, or a glob with {@code *}) was viewed. */
    record PageViewed(String urlPattern) implements TriggerEvent {
        public String type() {
            return "pageViewed";
        }

        public boolean matches(Activity activity, String lastEmail) {
            return activity.type() == ActivityType.PAGE_VIEW
                    && new UrlPattern(urlPattern).matches(activity.properties().get("url"));
        }
    }

    /** A webinar (the given one, by id or name ignoring case, or any) was attended. */
    record WebinarAttended(String webinar) implements TriggerEvent {
        public String type() {
            return "webinarAttended";
        }

        public boolean matches(Activity activity, String lastEmail) {
            return activity.type() == ActivityType.WEBINAR_ATTENDED
                    && (webinar == null
                            || sameText(webinar, activity.properties().get("webinarId"))
                            || sameText(webinar, activity.properties().get("assetName")));
        }
    }

    private static boolean sameEmail(Activity activity, String templateId, String lastEmail) {
        String wanted = templateId != null ? templateId : lastEmail;
        return wanted == null || wanted.equals(property(activity, "templateId", "emailId"));
    }

    private static String property(Activity activity, String key, String fallback) {
        String value = activity.properties().get(key);
        return value != null ? value : activity.properties().get(fallback);
    }

    private static boolean sameText(String wanted, String actual) {
        return actual != null
                && wanted.trim().toLowerCase(Locale.ROOT).equals(actual.trim().toLowerCase(Locale.ROOT));
    }
}

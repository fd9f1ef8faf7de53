package dev.kindling.notifications;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The events webhook subscriptions can select: the names notices are sent with. A subscription may also name
 * {@code *} (every event) or any well-formed name (lower-case dotted words), so a feature that sends a new event does
 * not need a change here; the known ones are listed on the form.
 */
public final class WebhookEvents {

    /** Every event. */
    public static final String ALL = "*";

    /** Events sent today, for the subscription form. */
    public static final List<String> KNOWN =
            List.of("prospect.assigned", "sla.at_risk", "sla.breached", "rule.notification", "rule.webhook");

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*){1,4}");

    private WebhookEvents() {}

    /** Whether {@code name} is a well-formed event name (not {@code *}). */
    public static boolean isEventName(String name) {
        return name != null && name.length() <= 100 && NAME.matcher(name).matches();
    }
}

package dev.kindling.engine.activity;

/** Every kind of activity Kindling records (SPEC §1). {@link #CUSTOM} carries a name of its own. */
public enum ActivityType {
    PAGE_VIEW,
    FORM_SUBMIT,
    FORM_ERROR,
    FILE_DOWNLOAD,
    TRACKED_LINK_CLICK,
    EMAIL_SENT,
    EMAIL_OPEN,
    EMAIL_CLICK,
    EMAIL_BOUNCE_SOFT,
    EMAIL_BOUNCE_HARD,
    UNSUBSCRIBE,
    WEBINAR_REGISTERED,
    WEBINAR_ATTENDED,
    EVENT_ATTENDED,
    CHAT,
    DEMO_REQUEST,
    LIST_IMPORT,
    OPPORTUNITY_CREATED,
    OPPORTUNITY_WON,
    OPPORTUNITY_LOST,
    CUSTOM;

    /** The type named {@code name}, or {@code null} when there is none (names are upper case). */
    /** {@code values()} once: it copies the array on every call, and the closed loop parses a type per row. */
    private static final ActivityType[] ALL = values();

    public static ActivityType parse(String name) {
        if (name == null) {
            return null;
        }
        for (ActivityType type : ALL) {
            if (type.name().equals(name)) {
                return type;
            }
        }
        return null;
    }
}

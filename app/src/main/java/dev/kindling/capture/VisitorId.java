package dev.kindling.capture;

import java.util.regex.Pattern;

/**
 * The id of an anonymous browser, as the tracking script generates it: 16 to 64 URL-safe
 * characters. It travels in the first-party cookie {@value #COOKIE} on the tracked site and, for
 * forms posted to Kindling from another origin, in the hidden field {@value #FORM_FIELD}.
 */
public record VisitorId(String value) {

    public static final String COOKIE = "kindling_vid";
    public static final String FORM_FIELD = "kindling_visitor";
    private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9_-]{16,64}");

    public VisitorId {
        if (value == null || !FORMAT.matcher(value).matches()) {
            throw new IllegalArgumentException("not a visitor id");
        }
    }

    /** The visitor id in {@code raw}, or {@code null} when it is absent or malformed. */
    public static VisitorId parse(String raw) {
        return raw != null && FORMAT.matcher(raw).matches() ? new VisitorId(raw) : null;
    }

    @Override
    public String toString() {
        return value;
    }
}

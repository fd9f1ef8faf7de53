package dev.kindling.mail;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One email to send: a recipient, a subject, a plain-text body and optionally an HTML one, extra headers set on the
 * message as given (e.g. {@code List-Unsubscribe}), the prospect it is about or to (nullable) and its kind
 * ({@code NOTIFICATION} to a user, {@code MARKETING} to a prospect).
 *
 * <p>Line breaks in the subject become spaces (a subject built from prospect data must not inject headers); a header
 * name must be a plain token and a value must not contain a line break, else the mail is refused
 * ({@link IllegalArgumentException}): headers come from code, never from prospect data.
 */
public record OutgoingMail(
        String to,
        String subject,
        String text,
        String html,
        Map<String, String> headers,
        Long prospectId,
        String kind) {

    public static final String NOTIFICATION = "NOTIFICATION";
    public static final String MARKETING = "MARKETING";

    private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,75}");
    private static final Pattern LINE_BREAK = Pattern.compile("[\\r\\n\\u0085\\u2028\\u2029]+");

    public OutgoingMail {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(text, "text");
        if (to.isBlank() || LINE_BREAK.matcher(to).find()) {
            throw new IllegalArgumentException("Not a recipient address: " + to);
        }
        subject = subject == null
                ? ""
                : LINE_BREAK.matcher(subject).replaceAll(" ").strip();
        if (!NOTIFICATION.equals(kind) && !MARKETING.equals(kind)) {
            throw new IllegalArgumentException("kind must be NOTIFICATION or MARKETING, not " + kind);
        }
        Map<String, String> copy = new LinkedHashMap<>();
        if (headers != null) {
            headers.forEach((name, value) -> {
                if (name == null
                        || !HEADER_NAME.matcher(name).matches()
                        || value == null
                        || LINE_BREAK.matcher(value).find()) {
                    throw new IllegalArgumentException("Not a safe mail header: " + name);
                }
                copy.put(name, value);
            });
        }
        headers = java.util.Collections.unmodifiableMap(copy);
    }

    /** A notification to a user: text only, no extra headers. */
    public static OutgoingMail notification(String to, String subject, String text, Long prospectId) {
        return new OutgoingMail(to, subject, text, null, Map.of(), prospectId, NOTIFICATION);
    }
}

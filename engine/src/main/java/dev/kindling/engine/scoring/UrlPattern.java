package dev.kindling.engine.scoring;

import java.util.Locale;

/**
 * A URL filter without regular expressions: text without {@code *} matches any URL containing it;
 * text with {@code *} is a glob over the whole URL where {@code *} stands for any characters.
 * Matching ignores case and runs in time linear in the URL for each wildcard, so a pattern can
 * never make intake slow.
 */
public record UrlPattern(String text) {

    public static final int MAX_LENGTH = 500;
    public static final int MAX_WILDCARDS = 8;
    private static final String REGEX_CHARACTERS = "\\^$()[]{}|";

    public UrlPattern {
        String problem = problem(text);
        if (problem != null) {
            throw new IllegalArgumentException("url pattern " + problem);
        }
    }

    /** What is wrong with {@code text} as a pattern, or {@code null} when it is a valid one. */
    public static String problem(String text) {
        if (text == null || text.isEmpty()) {
            return "must not be empty";
        }
        if (text.length() > MAX_LENGTH) {
            return "must be at most " + MAX_LENGTH + " characters";
        }
        int wildcards = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                return "must not contain spaces or control characters";
            }
            if (REGEX_CHARACTERS.indexOf(c) >= 0) {
                return "is not a regular expression: use * as the only wildcard (found '" + c + "')";
            }
            if (c == '*') {
                wildcards++;
            }
        }
        if (wildcards > MAX_WILDCARDS) {
            return "must have at most " + MAX_WILDCARDS + " wildcards";
        }
        if (wildcards == text.length()) {
            return "must contain something besides *";
        }
        return null;
    }

    public boolean matches(String url) {
        if (url == null) {
            return false;
        }
        String u = url.toLowerCase(Locale.ROOT);
        String p = text.toLowerCase(Locale.ROOT);
        if (p.indexOf('*') < 0) {
            return u.contains(p);
        }
        String[] parts = p.split("\\*", -1);
        // first part anchors at the start, last at the end, the middle ones are found in order
        if (!u.startsWith(parts[0])) {
            return false;
        }
        int from = parts[0].length();
        for (int i = 1; i < parts.length - 1; i++) {
            int at = u.indexOf(parts[i], from);
            if (at < 0) {
                return false;
            }
            from = at + parts[i].length();
        }
        String last = parts[parts.length - 1];
        return u.length() - last.length() >= from && u.endsWith(last);
    }
}

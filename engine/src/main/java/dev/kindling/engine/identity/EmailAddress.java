package dev.kindling.engine.identity;

import java.util.Locale;

/**
 * A normalised email address: trimmed and lower-cased, so that two spellings of one address
 * are one prospect. Syntax is checked pragmatically (what real forms accept), not by RFC 5322's
 * full grammar: one {@code @}, a local part of safe characters, a dotted domain.
 */
public record EmailAddress(String value) {

    public static final int MAX_LENGTH = 254;

    private static final String LOCAL_SYMBOLS = "!#$%&'*+/=?^_`{|}~.-";

    public EmailAddress {
        if (!isValid(value)) {
            throw new IllegalArgumentException("not a valid email address");
        }
    }

    /** The normalised address, or {@code null} when {@code raw} is not a valid email. */
    public static EmailAddress parse(String raw) {
        String normalized = normalize(raw);
        if (normalized == null) {
            return null;
        }
        // the constructor checks the syntax: checking before it as well ran the pattern twice per valid address (the
        // activity API's accept path, docs/benchmarks.md)
        try {
            return new EmailAddress(normalized);
        } catch (IllegalArgumentException invalid) {
            return null;
        }
    }

    public static String normalize(String raw) {
        return raw == null ? null : raw.strip().toLowerCase(Locale.ROOT);
    }

    private static boolean isValid(String normalized) {
        return normalized != null
                && normalized.length() <= MAX_LENGTH
                && matchesSyntax(normalized)
                && !normalized.startsWith(".")
                && !normalized.contains("..");
    }

    /**
     * Whether {@code s} matches, whole, the syntax
     * {@code [a-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}}, read by hand:
     * as a regular expression it was about a seventh of the activity API's request CPU (W1, docs/benchmarks.md). Its
     * parts are separated by characters none of them holds (the first {@code @}, then every {@code .} of the domain),
     * so there is one way to read it, and this is that: a local part of 1 to 64 of its characters, then domain labels
     * of 1 to 63 letters, digits and hyphens, neither starting nor ending with a hyphen, and a last label of 2 to 63
     * letters. {@code EmailAddressTest} compares it with the regular expression on random and hostile text.
     */
    static boolean matchesSyntax(String s) {
        int n = s.length();
        int at = 0;
        while (at < n && localChar(s.charAt(at))) {
            at++;
        }
        if (at == 0 || at > 64 || at >= n || s.charAt(at) != '@') {
            return false;
        }
        int labels = 0;
        int from = at + 1;
        while (true) {
            int end = from;
            while (end < n && s.charAt(end) != '.') {
                end++;
            }
            if (end == n) {
                // the last label: letters only
                int length = end - from;
                if (labels == 0 || length < 2 || length > 63) {
                    return false;
                }
                for (int i = from; i < end; i++) {
                    char c = s.charAt(i);
                    if (c < 'a' || c > 'z') {
                        return false;
                    }
                }
                return true;
            }
            int length = end - from;
            if (length < 1 || length > 63 || s.charAt(from) == '-' || s.charAt(end - 1) == '-') {
                return false;
            }
            for (int i = from; i < end; i++) {
                char c = s.charAt(i);
                if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) {
                    return false;
                }
            }
            labels++;
            from = end + 1;
        }
    }

    private static boolean localChar(char c) {
        return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c < 128 && LOCAL_SYMBOLS.indexOf(c) >= 0;
    }

    public String domain() {
        return value.substring(value.indexOf('@') + 1);
    }

    @Override
    public String toString() {
        return value;
    }
}

package dev.kindling.engine.identity;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A normalised email address: trimmed and lower-cased, so that two spellings of one address
 * are one prospect. Syntax is checked pragmatically (what real forms accept), not by RFC 5322's
 * full grammar: one {@code @}, a local part of safe characters, a dotted domain.
 */
public record EmailAddress(String value) {

    public static final int MAX_LENGTH = 254;

    private static final Pattern SYNTAX = Pattern.compile(
            "[a-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}");

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
                && SYNTAX.matcher(normalized).matches()
                && !normalized.startsWith(".")
                && !normalized.contains("..");
    }

    public String domain() {
        return value.substring(value.indexOf('@') + 1);
    }

    @Override
    public String toString() {
        return value;
    }
}

package dev.kindling.support.salesforce;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The subset of SOQL the fake answers, as Salesforce documents it: {@code SELECT f, … FROM Object [WHERE cond [AND
 * cond]…] [ORDER BY f [ASC|DESC], …] [LIMIT n]}, where a condition is {@code field op literal} ({@code = != < <= > >=})
 * or {@code field IN (literal, …)}, and a literal is a quoted string, a number, {@code true}/{@code false},
 * {@code null} or a date-time ({@code 2026-01-02T03:04:05Z}, {@code …05.000+0000}). Anything else is a
 * {@code MALFORMED_QUERY}, as Salesforce answers it.
 */
record Soql(
        List<String> fields,
        String object,
        List<Predicate<Map<String, Object>>> where,
        Comparator<Map<String, Object>> order,
        Integer limit) {

    static final class MalformedQuery extends RuntimeException {
        MalformedQuery(String message) {
            super(message);
        }
    }

    private static final Pattern QUERY = Pattern.compile(
            "(?is)^\\s*SELECT\\s+(.+?)\\s+FROM\\s+(\\w+)(?:\\s+WHERE\\s+(.+?))?(?:\\s+ORDER\\s+BY\\s+(.+?))?"
                    + "(?:\\s+LIMIT\\s+(\\d+))?\\s*$");
    private static final Pattern CONDITION =
            Pattern.compile("(?is)^\\s*(\\w+)\\s*(=|!=|<=|>=|<|>|\\s+IN\\s+)\\s*(.+?)\\s*$");

    static Soql parse(String text) {
        Matcher m = QUERY.matcher(text);
        if (!m.matches()) {
            throw new MalformedQuery("unexpected token in: " + text);
        }
        List<String> fields = new ArrayList<>();
        for (String f : m.group(1).split(",")) {
            String field = f.trim();
            if (!field.matches("\\w+")) {
                throw new MalformedQuery("unsupported field expression: " + field);
            }
            fields.add(field);
        }
        List<Predicate<Map<String, Object>>> where = new ArrayList<>();
        if (m.group(3) != null) {
            for (String c : splitAnd(m.group(3))) {
                where.add(condition(c));
            }
        }
        Comparator<Map<String, Object>> order = null;
        if (m.group(4) != null) {
            for (String part : m.group(4).split(",")) {
                String[] words = part.trim().split("\\s+");
                String field = words[0];
                Comparator<Map<String, Object>> one = Comparator.comparing(
                        r -> (Comparable) comparable(r.get(field)), Comparator.nullsFirst(Comparator.naturalOrder()));
                if (words.length > 1 && words[1].equalsIgnoreCase("DESC")) {
                    one = one.reversed();
                }
                order = order == null ? one : order.thenComparing(one);
            }
        }
        Integer limit = m.group(5) == null ? null : Integer.valueOf(m.group(5));
        return new Soql(fields, m.group(2), where, order, limit);
    }

    boolean matches(Map<String, Object> record) {
        return where.stream().allMatch(p -> p.test(record));
    }

    private static List<String> splitAnd(String where) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        String[] tokens = where.split("(?<=\\s)|(?=\\s)");
        for (String token : tokens) {
            long quotes = token.chars().filter(ch -> ch == '\'').count();
            if (!quoted && token.equalsIgnoreCase("AND")) {
                parts.add(current.toString());
                current.setLength(0);
                continue;
            }
            if (!quoted && token.equalsIgnoreCase("OR")) {
                throw new MalformedQuery("OR is not supported by the fake");
            }
            current.append(token);
            if (quotes % 2 == 1) {
                quoted = !quoted;
            }
        }
        parts.add(current.toString());
        return parts;
    }

    private static Predicate<Map<String, Object>> condition(String text) {
        Matcher m = CONDITION.matcher(text);
        if (!m.matches()) {
            throw new MalformedQuery("unexpected condition: " + text);
        }
        String field = m.group(1);
        String op = m.group(2).trim().toUpperCase(Locale.ROOT);
        if (op.equals("IN")) {
            String list = m.group(3).trim();
            if (!list.startsWith("(") || !list.endsWith(")")) {
                throw new MalformedQuery("IN needs a list: " + text);
            }
            List<Object> values = new ArrayList<>();
            for (String v : list.substring(1, list.length() - 1).split(",")) {
                values.add(literal(v.trim()));
            }
            return r -> values.stream().anyMatch(v -> equal(r.get(field), v));
        }
        Object value = literal(m.group(3));
        return switch (op) {
            case "=" -> r -> equal(r.get(field), value);
            case "!=" -> r -> !equal(r.get(field), value);
            default ->
                r -> {
                    Object actual = comparable(r.get(field));
                    if (actual == null || value == null) {
                        return false;
                    }
                    @SuppressWarnings({"unchecked", "rawtypes"})
                    int c = ((Comparable) actual).compareTo(value);
                    return switch (op) {
                        case "<" -> c < 0;
                        case "<=" -> c <= 0;
                        case ">" -> c > 0;
                        default -> c >= 0;
                    };
                };
        };
    }

    private static boolean equal(Object actual, Object literal) {
        Object a = comparable(actual);
        if (a == null || literal == null) {
            return a == literal;
        }
        if (a instanceof String s && literal instanceof String l) {
            return s.equalsIgnoreCase(l); // SOQL string comparison is case-insensitive
        }
        if (a instanceof BigDecimal x && literal instanceof BigDecimal y) {
            return x.compareTo(y) == 0;
        }
        return a.equals(literal);
    }

    /** Record values as stored by the fake: date-times are strings in Salesforce's format. */
    static Object comparable(Object value) {
        if (value instanceof String s && FakeOrg.isDateTime(s)) {
            return FakeOrg.parseDateTime(s);
        }
        if (value instanceof Number n) {
            return new BigDecimal(n.toString());
        }
        return value;
    }

    private static Object literal(String raw) {
        String v = raw.trim();
        if (v.startsWith("'") && v.endsWith("'") && v.length() >= 2) {
            return v.substring(1, v.length() - 1).replace("\\'", "'");
        }
        if (v.equalsIgnoreCase("null")) {
            return null;
        }
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
            return Boolean.valueOf(v.toLowerCase(Locale.ROOT));
        }
        if (FakeOrg.isDateTime(v)) {
            return FakeOrg.parseDateTime(v);
        }
        try {
            return new BigDecimal(v);
        } catch (NumberFormatException e) {
            throw new MalformedQuery("unexpected literal: " + v);
        }
    }

    static Instant instant(Object value) {
        return (Instant) Objects.requireNonNull(comparable(value));
    }
}

package dev.kindling.scoring;

import dev.kindling.engine.scoring.ScoreState;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * A prospect's {@code score_memory} (its score's memory besides the value: {@link ScoreState}'s fields but the caps)
 * as the JSON text it is written from and read back as, by hand: through Jackson, writing and reading it was a tenth
 * of the intake thread's CPU on W1 (docs/benchmarks.md, issue 16). {@link #write} writes what Jackson wrote for the
 * same fields; {@link #read} takes PostgreSQL's {@code jsonb::text} of such an object (any order, any spacing) and
 * hands anything else (another key, a value of another kind, a number out of range, an escape, anything malformed) to
 * Jackson, so its answers, and its errors, are Jackson's ({@code ScoreMemoryTextTest}).
 */
final class ScoreMemoryText {

    private static final TypeReference<Map<String, Object>> MEMORY = new TypeReference<>() {};

    private ScoreMemoryText() {}

    /** The stored fields, before the instant is parsed. */
    record Fields(
            String activityAt,
            boolean inactivityApplied,
            Integer halfLifeDays,
            long period,
            TreeMap<Long, Integer> buckets) {}

    /** The memory of {@code s} as JSON text. */
    static String write(ScoreState s) {
        StringBuilder out = new StringBuilder(96 + 12 * s.buckets().size());
        out.append("{\"activityAt\":");
        if (s.activityAt() == null) {
            out.append("null");
        } else {
            out.append('"').append(s.activityAt()).append('"'); // Instant.toString: nothing to escape
        }
        out.append(",\"inactivityApplied\":").append(s.inactivityApplied());
        out.append(",\"halfLifeDays\":").append(s.halfLifeDays());
        out.append(",\"period\":").append(s.period());
        out.append(",\"buckets\":{");
        // in the order of the keys as text, as the sorted map of strings Jackson wrote
        TreeMap<String, Integer> buckets = new TreeMap<>();
        s.buckets().forEach((k, v) -> buckets.put(Long.toString(k), v));
        boolean first = true;
        for (Map.Entry<String, Integer> b : buckets.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            out.append('"').append(b.getKey()).append("\":").append(b.getValue());
        }
        return out.append("}}").toString();
    }

    /** The fields of {@code text}; what the Jackson reading answers (or throws) for anything but the plain shape. */
    static Fields read(String text, JsonMapper json) {
        Fields plain = new Reader(text).memory();
        return plain != null ? plain : jackson(text, json);
    }

    /** The fields as Jackson reads them (the reading {@link #read} replaces, kept for any other text). */
    static Fields jackson(String text, JsonMapper json) {
        Map<String, Object> m = json.readValue(text, MEMORY);
        TreeMap<Long, Integer> buckets = new TreeMap<>();
        if (m.get("buckets") instanceof Map<?, ?> b) {
            b.forEach((k, v) -> buckets.put(Long.parseLong(k.toString()), ((Number) v).intValue()));
        }
        return new Fields(
                (String) m.get("activityAt"),
                Boolean.TRUE.equals(m.get("inactivityApplied")),
                m.get("halfLifeDays") == null ? null : ((Number) m.get("halfLifeDays")).intValue(),
                m.get("period") == null ? 0 : ((Number) m.get("period")).longValue(),
                buckets);
    }

    /** The plain shape, or {@code null} for anything else. */
    private static final class Reader {

        private static final Object NULL = new Object();

        private final String text;
        private int at;

        Reader(String text) {
            this.text = text;
        }

        Fields memory() {
            if (text == null || !skip() || text.charAt(at++) != '{' || !skip()) {
                return null;
            }
            Object activityAt = null;
            Object inactivityApplied = null;
            Object halfLifeDays = null;
            Object period = null;
            Object buckets = null;
            if (text.charAt(at) != '}') {
                while (true) {
                    String key = string();
                    if (key == null || !skip() || text.charAt(at++) != ':' || !skip()) {
                        return null;
                    }
                    Object value;
                    switch (key) {
                        case "activityAt" -> {
                            value = isNull() ? NULL : string();
                            if (activityAt != null) {
                                return null;
                            }
                            activityAt = value;
                        }
                        case "inactivityApplied" -> {
                            value = isNull() ? NULL : bool();
                            if (inactivityApplied != null) {
                                return null;
                            }
                            inactivityApplied = value;
                        }
                        case "halfLifeDays" -> {
                            if (isNull()) {
                                value = NULL;
                            } else {
                                Long n = integer();
                                value = n == null || n != n.intValue() ? null : n;
                            }
                            if (halfLifeDays != null) {
                                return null;
                            }
                            halfLifeDays = value;
                        }
                        case "period" -> {
                            value = isNull() ? NULL : integer();
                            if (period != null) {
                                return null;
                            }
                            period = value;
                        }
                        case "buckets" -> {
                            value = isNull() ? NULL : buckets();
                            if (buckets != null) {
                                return null;
                            }
                            buckets = value;
                        }
                        default -> {
                            return null;
                        }
                    }
                    if (value == null || !skip()) {
                        return null;
                    }
                    char c = text.charAt(at++);
                    if (c == '}') {
                        break;
                    }
                    if (c != ',' || !skip()) {
                        return null;
                    }
                }
            } else {
                at++;
            }
            if (skip()) {
                return null; // something after the object
            }
            @SuppressWarnings("unchecked")
            TreeMap<Long, Integer> b =
                    buckets instanceof TreeMap<?, ?> t ? (TreeMap<Long, Integer>) t : new TreeMap<>();
            return new Fields(
                    activityAt instanceof String s ? s : null,
                    Boolean.TRUE.equals(inactivityApplied),
                    halfLifeDays instanceof Long n ? (Integer) n.intValue() : null,
                    period instanceof Long n ? n : 0,
                    b);
        }

        /** An object of integer values within an int's range, keyed by longs; {@code null} for anything else. */
        private TreeMap<Long, Integer> buckets() {
            if (text.charAt(at++) != '{' || !skip()) {
                return null;
            }
            TreeMap<Long, Integer> buckets = new TreeMap<>();
            if (text.charAt(at) == '}') {
                at++;
                return buckets;
            }
            while (true) {
                String key = string();
                if (key == null || !skip() || text.charAt(at++) != ':' || !skip()) {
                    return null;
                }
                long k;
                try {
                    k = Long.parseLong(key);
                } catch (NumberFormatException e) {
                    return null;
                }
                Long v = integer();
                if (v == null || v != v.intValue() || buckets.put(k, v.intValue()) != null || !skip()) {
                    return null;
                }
                char c = text.charAt(at++);
                if (c == '}') {
                    return buckets;
                }
                if (c != ',' || !skip()) {
                    return null;
                }
            }
        }

        /** Past any whitespace; whether anything follows. */
        private boolean skip() {
            while (at < text.length()) {
                char c = text.charAt(at);
                if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                    return true;
                }
                at++;
            }
            return false;
        }

        private boolean isNull() {
            if (text.startsWith("null", at)) {
                at += 4;
                return true;
            }
            return false;
        }

        private Boolean bool() {
            if (text.startsWith("true", at)) {
                at += 4;
                return Boolean.TRUE;
            }
            if (text.startsWith("false", at)) {
                at += 5;
                return Boolean.FALSE;
            }
            return null;
        }

        /** A JSON integer (no fraction, no exponent, no leading zero) within a long's range, or {@code null}. */
        private Long integer() {
            int from = at;
            if (at < text.length() && text.charAt(at) == '-') {
                at++;
            }
            int digits = at;
            while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
                at++;
            }
            int n = at - digits;
            if (n == 0 || n > 18 || (n > 1 && text.charAt(digits) == '0')) {
                return null; // none, possibly beyond a long, or a leading zero
            }
            if (at < text.length()) {
                char c = text.charAt(at);
                if (c == '.' || c == 'e' || c == 'E') {
                    return null;
                }
            }
            return Long.parseLong(text, from, at, 10);
        }

        /** A string without escapes or control characters, or {@code null}. */
        private String string() {
            if (text.charAt(at) != '"') {
                return null;
            }
            int from = ++at;
            while (at < text.length()) {
                char c = text.charAt(at);
                if (c == '"') {
                    return text.substring(from, at++);
                }
                if (c < 0x20 || c == '\\') {
                    return null;
                }
                at++;
            }
            return null;
        }
    }
}

package dev.kindling.scoring;

import dev.kindling.engine.scoring.ScoreState;
import dev.kindling.platform.database.JsonText;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * A prospect's {@code score_memory} (its score's memory besides the value: {@link ScoreState}'s fields but the caps)
 * as the JSON text it is written from and read back as, by hand: through Jackson, writing and reading it was a tenth
 * of the intake thread's CPU on W1 (docs/benchmarks.md, issue 16). {@link #write} writes what Jackson wrote for the
 * same fields; {@link #read} takes PostgreSQL's {@code jsonb::text} of such an object (any order, any spacing; the
 * token reader {@link JsonText} is {@code PropertiesJson}'s too) and hands anything else (another key, a value of
 * another kind, a number out of range, anything malformed) to Jackson, so its answers, and its errors, are Jackson's
 * ({@code ScoreMemoryTextTest}).
 */
final class ScoreMemoryText {

    private static final TypeReference<Map<String, Object>> MEMORY = new TypeReference<>() {};

    /** A field given as JSON {@code null}, apart from a field not given. */
    private static final Object NULL = new Object();

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
        Fields plain = plain(text);
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
    private static Fields plain(String text) {
        JsonText t = new JsonText(text);
        if (text == null || !t.skip() || !t.takeThenSkip('{')) {
            return null;
        }
        Object activityAt = null;
        Object inactivityApplied = null;
        Object halfLifeDays = null;
        Object period = null;
        Object buckets = null;
        if (!t.take('}')) {
            while (true) {
                String key = t.key();
                if (key == null) {
                    return null;
                }
                Object value;
                switch (key) {
                    case "activityAt" -> {
                        value = t.literal("null") ? NULL : t.string();
                        if (activityAt != null) {
                            return null;
                        }
                        activityAt = value;
                    }
                    case "inactivityApplied" -> {
                        value = t.literal("null") ? NULL : t.bool();
                        if (inactivityApplied != null) {
                            return null;
                        }
                        inactivityApplied = value;
                    }
                    case "halfLifeDays" -> {
                        if (t.literal("null")) {
                            value = NULL;
                        } else {
                            Long n = t.integer();
                            value = n == null || n != n.intValue() ? null : n;
                        }
                        if (halfLifeDays != null) {
                            return null;
                        }
                        halfLifeDays = value;
                    }
                    case "period" -> {
                        value = t.literal("null") ? NULL : t.integer();
                        if (period != null) {
                            return null;
                        }
                        period = value;
                    }
                    case "buckets" -> {
                        value = t.literal("null") ? NULL : buckets(t);
                        if (buckets != null) {
                            return null;
                        }
                        buckets = value;
                    }
                    default -> {
                        return null;
                    }
                }
                if (value == null || !t.skip()) {
                    return null;
                }
                if (t.take('}')) {
                    break;
                }
                if (!t.takeThenSkip(',')) {
                    return null;
                }
            }
        }
        if (!t.end()) {
            return null; // something after the object
        }
        @SuppressWarnings("unchecked")
        TreeMap<Long, Integer> b = buckets instanceof TreeMap<?, ?> m ? (TreeMap<Long, Integer>) m : new TreeMap<>();
        return new Fields(
                activityAt instanceof String s ? s : null,
                Boolean.TRUE.equals(inactivityApplied),
                halfLifeDays instanceof Long n ? (Integer) n.intValue() : null,
                period instanceof Long n ? n : 0,
                b);
    }

    /** An object of integer values within an int's range, keyed by longs; {@code null} for anything else. */
    private static TreeMap<Long, Integer> buckets(JsonText t) {
        if (!t.takeThenSkip('{')) {
            return null;
        }
        TreeMap<Long, Integer> buckets = new TreeMap<>();
        if (t.take('}')) {
            return buckets;
        }
        while (true) {
            String key = t.key();
            if (key == null) {
                return null;
            }
            long k;
            try {
                k = Long.parseLong(key);
            } catch (NumberFormatException e) {
                return null;
            }
            Long v = t.integer();
            if (v == null || v != v.intValue() || buckets.put(k, v.intValue()) != null || !t.skip()) {
                return null;
            }
            if (t.take('}')) {
                return buckets;
            }
            if (!t.takeThenSkip(',')) {
                return null;
            }
        }
    }
}

package dev.kindling.engine.grading;

import java.util.EnumMap;
import java.util.Map;

/**
 * The values of one prospect's fit fields: text as {@link String}, numbers as {@link Number}.
 * A missing field, null or blank text is unknown.
 */
public record FitFacts(Map<FitField, Object> values) {

    public FitFacts {
        values = values.isEmpty() ? Map.of() : new EnumMap<>(values);
    }

    public static FitFacts of(Map<FitField, ?> values) {
        Map<FitField, Object> copy = new EnumMap<>(FitField.class);
        values.forEach((k, v) -> {
            if (v != null) {
                copy.put(k, v);
            }
        });
        return new FitFacts(copy);
    }

    /** The value, or null when unknown. */
    public Object value(FitField field) {
        Object v = values.get(field);
        if (v instanceof String s && s.isBlank()) {
            return null;
        }
        return v;
    }
}

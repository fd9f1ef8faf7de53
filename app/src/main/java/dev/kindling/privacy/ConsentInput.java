package dev.kindling.privacy;

import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A consent record as posted: {@code purpose}, {@code status} (GRANTED or WITHDRAWN), {@code source}, {@code text}. */
record ConsentInput(Consents.Purpose purpose, boolean granted, String source, String text) {

    static final int MAX_SOURCE = 200;
    static final int MAX_TEXT = 4000;
    private static final Set<String> FIELDS = Set.of("purpose", "status", "source", "text");

    static ConsentInput parse(Map<String, Object> raw, String defaultSource) {
        List<FieldError> errors = new ArrayList<>();
        raw.keySet().stream()
                .filter(k -> !FIELDS.contains(k))
                .forEach(k -> errors.add(new FieldError(k, "is not a known field")));
        Consents.Purpose purpose = null;
        if (!(raw.get("purpose") instanceof String p)
                || Arrays.stream(Consents.Purpose.values())
                        .noneMatch(v -> v.name().equals(p))) {
            errors.add(new FieldError("purpose", "must be one of " + Arrays.toString(Consents.Purpose.values())));
        } else {
            purpose = Consents.Purpose.valueOf(p);
        }
        Object status = raw.get("status");
        if (!"GRANTED".equals(status) && !"WITHDRAWN".equals(status)) {
            errors.add(new FieldError("status", "must be GRANTED or WITHDRAWN"));
        }
        String source = text(raw, "source", MAX_SOURCE, errors);
        String text = text(raw, "text", MAX_TEXT, errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new ConsentInput(purpose, "GRANTED".equals(status), source == null ? defaultSource : source, text);
    }

    /** The optional text field: null when absent or blank; not a string, too long or with control characters is an error. */
    private static String text(Map<String, Object> raw, String field, int max, List<FieldError> errors) {
        Object value = raw.get(field);
        if (value == null || value instanceof String s && s.isBlank()) {
            return null;
        }
        if (!(value instanceof String s) || s.length() > max || s.chars().anyMatch(ConsentInput::isControl)) {
            errors.add(
                    new FieldError(field, "must be text of at most " + max + " characters without control characters"));
            return null;
        }
        return s.strip();
    }

    private static boolean isControl(int c) {
        return c < 0x20 && c != '\n' && c != '\r' && c != '\t' || c == 0x7f;
    }
}

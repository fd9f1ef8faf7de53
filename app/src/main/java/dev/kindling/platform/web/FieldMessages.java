package dev.kindling.platform.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A form's errors by field, for showing each message next to its input ({@code fragments/field :: error}); the
 * messages of one field are joined. An error naming no field of the form stays under its own name, so a page lists
 * those it has no input for at the top.
 */
public final class FieldMessages {

    private FieldMessages() {}

    public static Map<String, String> of(List<FieldError> errors) {
        Map<String, String> byField = new LinkedHashMap<>();
        for (FieldError e : errors) {
            String field = e.field() == null ? "" : e.field();
            byField.merge(field, e.message(), (a, b) -> a + "; " + b);
        }
        return byField;
    }
}

package dev.kindling.prospects;

import dev.kindling.engine.identity.EmailAddress;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InputDates;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Checks raw prospect values, from JSON or from text (forms, CSV), and converts them to their
 * types. Every problem is reported, each with its field; nothing is written unless there are none.
 * Text from anonymous sources is kept as typed (it is escaped where shown), but control
 * characters are refused.
 */
public final class ProspectValidator {

    public static final int MAX_CUSTOM_TEXT = 1000;
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

    private ProspectValidator() {}

    /** What came out of a validation: the changes, or the errors (then the changes are unusable). */
    public record Result(ProspectChanges changes, List<FieldError> errors) {

        public boolean valid() {
            return errors.isEmpty();
        }
    }

    /**
     * @param raw          field name to value: String, Number, Boolean, null, or (for "custom") a Map
     * @param customFields the defined custom fields, by name
     * @param fromText     values are text (forms, CSV): numbers and booleans are parsed, blanks mean "no value"
     * @param prefix       prepended to field names in errors (e.g. {@code "activities[3]."})
     */
    public static Result validate(
            Map<String, ?> raw, Map<String, CustomField> customFields, boolean fromText, String prefix) {
        List<FieldError> errors = new ArrayList<>();
        EnumMap<ProspectField, Object> fields = new EnumMap<>(ProspectField.class);
        Map<String, Object> custom = new LinkedHashMap<>();
        for (Map.Entry<String, ?> entry : raw.entrySet()) {
            String name = entry.getKey();
            Object value = entry.getValue();
            if ("custom".equals(name) && !fromText) {
                if (value == null) {
                    continue;
                }
                if (!(value instanceof Map<?, ?> map)) {
                    errors.add(new FieldError(prefix + "custom", "must be an object"));
                    continue;
                }
                for (Map.Entry<?, ?> c : map.entrySet()) {
                    customValue(
                            String.valueOf(c.getKey()),
                            c.getValue(),
                            customFields,
                            false,
                            prefix + "custom.",
                            errors,
                            custom);
                }
                continue;
            }
            ProspectField field = ProspectField.byJson(name);
            if (field == null) {
                if (customFields.containsKey(name)) {
                    customValue(name, value, customFields, fromText, prefix, errors, custom);
                } else {
                    errors.add(new FieldError(prefix + name, "is not a known field"));
                }
                continue;
            }
            standardValue(field, value, fromText, prefix, errors, fields);
        }
        return new Result(new ProspectChanges(fields, custom), errors);
    }

    private static void standardValue(
            ProspectField field,
            Object value,
            boolean fromText,
            String prefix,
            List<FieldError> errors,
            EnumMap<ProspectField, Object> fields) {
        String where = prefix + field.json();
        if (value instanceof String s && fromText && s.isBlank()) {
            value = null;
        }
        if (value == null) {
            if (field == ProspectField.EMAIL) {
                errors.add(new FieldError(where, "is required"));
            } else {
                fields.put(field, null);
            }
            return;
        }
        if (field.isNumeric()) {
            Long number = integer(value, fromText);
            if (number == null) {
                errors.add(new FieldError(where, "must be a whole number"));
            } else if (number < 0 || number > 10_000_000) {
                errors.add(new FieldError(where, "must be between 0 and 10000000"));
            } else {
                fields.put(field, number.intValue());
            }
            return;
        }
        if (!(value instanceof String text)) {
            errors.add(new FieldError(where, "must be a string"));
            return;
        }
        text = text.strip();
        if (hasControlCharacters(text)) {
            errors.add(new FieldError(where, "must not contain control characters"));
            return;
        }
        switch (field) {
            case EMAIL -> {
                EmailAddress email = EmailAddress.parse(text);
                if (email == null) {
                    errors.add(new FieldError(where, "is not a valid email address"));
                } else {
                    fields.put(field, email.value());
                }
            }
            case COUNTRY -> {
                String code = text.toUpperCase(Locale.ROOT);
                if (!COUNTRIES.contains(code)) {
                    errors.add(new FieldError(where, "must be an ISO 3166 alpha-2 country code"));
                } else {
                    fields.put(field, code);
                }
            }
            default -> {
                if (text.length() > field.maxLength()) {
                    errors.add(new FieldError(where, "must be at most " + field.maxLength() + " characters"));
                } else {
                    fields.put(field, text.isEmpty() ? null : text);
                }
            }
        }
    }

    private static void customValue(
            String name,
            Object value,
            Map<String, CustomField> defined,
            boolean fromText,
            String prefix,
            List<FieldError> errors,
            Map<String, Object> custom) {
        String where = prefix + name;
        CustomField field = defined.get(name);
        if (field == null) {
            errors.add(new FieldError(where, "is not a defined custom field"));
            return;
        }
        if (value instanceof String s && fromText && s.isBlank()) {
            value = null;
        }
        if (value == null) {
            custom.put(name, null);
            return;
        }
        switch (field.type()) {
            case TEXT -> {
                if (!(value instanceof String s)) {
                    errors.add(new FieldError(where, "must be a string"));
                } else if (s.length() > MAX_CUSTOM_TEXT || hasControlCharacters(s)) {
                    errors.add(new FieldError(where, "must be at most " + MAX_CUSTOM_TEXT + " printable characters"));
                } else {
                    custom.put(name, s.strip());
                }
            }
            case NUMBER -> {
                BigDecimal number = decimal(value, fromText);
                if (number == null) {
                    errors.add(new FieldError(where, "must be a number"));
                } else {
                    custom.put(name, number);
                }
            }
            case BOOLEAN -> {
                Boolean bool =
                        value instanceof Boolean b ? b : fromText && value instanceof String s ? parseBoolean(s) : null;
                if (bool == null) {
                    errors.add(new FieldError(where, "must be true or false"));
                } else {
                    custom.put(name, bool);
                }
            }
            case DATE -> {
                LocalDate date = value instanceof String s ? parseDate(s) : null;
                if (date == null) {
                    errors.add(new FieldError(where, "must be a date (YYYY-MM-DD)"));
                } else {
                    custom.put(name, date.toString());
                }
            }
            case PICKLIST -> {
                if (!(value instanceof String s) || !field.options().contains(s.strip())) {
                    errors.add(new FieldError(where, "must be one of " + field.options()));
                } else {
                    custom.put(name, s.strip());
                }
            }
        }
    }

    private static Long integer(Object value, boolean fromText) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigDecimal d) {
            try {
                return d.longValueExact();
            } catch (ArithmeticException e) {
                return null;
            }
        }
        if (fromText && value instanceof String s) {
            try {
                return Long.parseLong(s.strip().replace(",", ""));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static BigDecimal decimal(Object value, boolean fromText) {
        if (value instanceof BigDecimal d) {
            return d;
        }
        if (value instanceof Number n && !(value instanceof Double || value instanceof Float)) {
            return new BigDecimal(n.toString());
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            return Double.isFinite(d) ? BigDecimal.valueOf(d) : null;
        }
        if (fromText && value instanceof String s) {
            try {
                return new BigDecimal(s.strip());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static LocalDate parseDate(String s) {
        try {
            return InputDates.date(s.strip());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Boolean parseBoolean(String s) {
        return switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on" -> Boolean.TRUE;
            case "false", "no", "0", "off" -> Boolean.FALSE;
            default -> null;
        };
    }

    static boolean hasControlCharacters(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7f) {
                return true;
            }
        }
        return false;
    }
}

package dev.kindling.opportunities;

import dev.kindling.engine.condition.ProspectFacts.OpportunityType;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InputDates;
import dev.kindling.platform.web.InvalidInputException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the API's JSON bodies into the bean's inputs, type errors first: every problem is a field error, and a body
 * with any is refused whole. Range and reference checks are the bean's ({@link Opportunities}), so the Java API
 * gets them too.
 */
final class OpportunityInput {

    static final Set<String> CREATE_KEYS = Set.of(
            "name",
            "accountId",
            "amount",
            "currency",
            "stage",
            "closeDate",
            "type",
            "probability",
            "primaryCampaignId",
            "contactRoles");
    static final Set<String> PATCH_KEYS = Set.of("name", "amount", "stage", "closeDate", "probability");
    static final Set<String> CONTACT_KEYS = Set.of("prospectId", "role", "primary");

    private OpportunityInput() {}

    /**
     * A new opportunity and its contacts as far as they could be read, and the type errors: the controller adds the
     * bean's own checks of what could be read, so one response lists every problem.
     */
    record Create(NewOpportunity opportunity, List<NewContactRole> contacts, List<FieldError> errors) {}

    static Create create(Map<String, Object> body) {
        List<FieldError> errors = new ArrayList<>();
        unknown(body, CREATE_KEYS, "", errors);
        NewOpportunity o = new NewOpportunity(
                text(body, "name", errors, true),
                id(body, "accountId", errors),
                amount(body, "amount", errors),
                text(body, "currency", errors, false),
                text(body, "stage", errors, false),
                date(body, "closeDate", errors),
                type(body, errors),
                integer(body, "probability", errors),
                id(body, "primaryCampaignId", errors));
        List<NewContactRole> contacts = new ArrayList<>();
        Object roles = body.get("contactRoles");
        if (roles != null) {
            if (roles instanceof List<?> list) {
                for (int i = 0; i < list.size(); i++) {
                    NewContactRole c = contact(list.get(i), "contactRoles[" + i + "].", errors);
                    // an unreadable contact keeps its place (prospect 0 names none), so later indexes stay right
                    contacts.add(c != null ? c : new NewContactRole(0, null, false));
                }
            } else {
                errors.add(new FieldError("contactRoles", "must be an array of {prospectId, role, primary}"));
            }
        }
        return new Create(o, contacts, errors);
    }

    static OpportunityChanges patch(Map<String, Object> body) {
        List<FieldError> errors = new ArrayList<>();
        unknown(body, PATCH_KEYS, "", errors);
        if (body.isEmpty()) {
            errors.add(new FieldError("body", "must change at least one of " + PATCH_KEYS));
        }
        for (String key : List.of("name", "amount", "stage")) {
            if (body.containsKey(key) && body.get(key) == null) {
                errors.add(new FieldError(key, "cannot be cleared"));
            }
        }
        OpportunityChanges changes = new OpportunityChanges(
                text(body, "name", errors, false),
                amount(body, "amount", errors),
                text(body, "stage", errors, false),
                date(body, "closeDate", errors),
                body.containsKey("closeDate"),
                integer(body, "probability", errors),
                body.containsKey("probability"));
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return changes;
    }

    static NewContactRole contact(Map<String, Object> body) {
        List<FieldError> errors = new ArrayList<>();
        NewContactRole c = contact(body, "", errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return c;
    }

    /** {@code {"reason": "PRICE", "closeDate": "2026-03-01"}} (the close date is optional: today). */
    static LostReason reason(Map<String, Object> body) {
        List<FieldError> errors = new ArrayList<>();
        unknown(body, Set.of("reason", "closeDate"), "", errors);
        LostReason reason = body.get("reason") instanceof String s ? LostReason.parse(s) : null;
        if (reason == null) {
            errors.add(new FieldError("reason", "must be one of " + List.of(LostReason.values())));
        }
        date(body, "closeDate", errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return reason;
    }

    static LocalDate closeDate(Map<String, Object> body, Set<String> allowed) {
        List<FieldError> errors = new ArrayList<>();
        unknown(body, allowed, "", errors);
        LocalDate date = date(body, "closeDate", errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return date;
    }

    private static NewContactRole contact(Object raw, String prefix, List<FieldError> errors) {
        if (!(raw instanceof Map<?, ?> map)) {
            errors.add(new FieldError(
                    prefix.isEmpty() ? "body" : prefix.substring(0, prefix.length() - 1),
                    "must be an object {prospectId, role, primary}"));
            return null;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> body = (Map<String, Object>) map;
        unknown(body, CONTACT_KEYS, prefix, errors);
        Long prospect = id(body, "prospectId", errors, prefix);
        if (prospect == null && !body.containsKey("prospectId")) {
            errors.add(new FieldError(prefix + "prospectId", "is required"));
        }
        ContactRole role = body.get("role") instanceof String s
                ? ContactRole.parse(s)
                : body.get("role") == null ? ContactRole.OTHER : null;
        if (role == null) {
            errors.add(new FieldError(prefix + "role", "must be one of " + List.of(ContactRole.values())));
        }
        Object primary = body.get("primary");
        if (primary != null && !(primary instanceof Boolean)) {
            errors.add(new FieldError(prefix + "primary", "must be true or false"));
        }
        return new NewContactRole(prospect == null ? 0 : prospect, role, Boolean.TRUE.equals(primary));
    }

    private static void unknown(Map<String, Object> body, Set<String> keys, String prefix, List<FieldError> errors) {
        body.keySet().stream()
                .filter(k -> !keys.contains(k))
                .sorted()
                .forEach(k -> errors.add(new FieldError(prefix + k, "is not a known field")));
    }

    private static String text(Map<String, Object> body, String key, List<FieldError> errors, boolean required) {
        Object v = body.get(key);
        if (v == null) {
            if (required) {
                errors.add(new FieldError(key, "is required"));
            }
            return null;
        }
        if (!(v instanceof String s)) {
            errors.add(new FieldError(key, "must be a string"));
            return null;
        }
        return s;
    }

    private static Long id(Map<String, Object> body, String key, List<FieldError> errors) {
        return id(body, key, errors, "");
    }

    private static Long id(Map<String, Object> body, String key, List<FieldError> errors, String prefix) {
        Object v = body.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Long l && l > 0) {
            return l;
        }
        errors.add(new FieldError(prefix + key, "must be an id (a positive whole number)"));
        return null;
    }

    private static Integer integer(Map<String, Object> body, String key, List<FieldError> errors) {
        Object v = body.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
            return l.intValue();
        }
        errors.add(new FieldError(key, "must be a whole number"));
        return null;
    }

    private static BigDecimal amount(Map<String, Object> body, String key, List<FieldError> errors) {
        Object v = body.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Long l) {
            return BigDecimal.valueOf(l);
        }
        if (v instanceof BigDecimal d) {
            return d;
        }
        errors.add(new FieldError(key, "must be a number"));
        return null;
    }

    private static LocalDate date(Map<String, Object> body, String key, List<FieldError> errors) {
        Object v = body.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof String s) {
            try {
                return InputDates.date(s.strip());
            } catch (DateTimeParseException e) {
                // reported below
            }
        }
        errors.add(new FieldError(key, "must be a date YYYY-MM-DD"));
        return null;
    }

    private static OpportunityType type(Map<String, Object> body, List<FieldError> errors) {
        Object v = body.get("type");
        if (v == null) {
            return null;
        }
        if (v instanceof String s) {
            for (OpportunityType t : OpportunityType.values()) {
                if (t.name().equalsIgnoreCase(s.strip())) {
                    return t;
                }
            }
        }
        errors.add(new FieldError("type", "must be one of " + List.of(OpportunityType.values())));
        return null;
    }
}

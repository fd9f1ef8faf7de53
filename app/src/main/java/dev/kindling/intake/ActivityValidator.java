package dev.kindling.intake;

import dev.kindling.engine.activity.ActivityType;
import dev.kindling.engine.identity.BotSignature;
import dev.kindling.engine.identity.EmailAddress;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InputDates;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Checks an activity batch of the public API ({@code {"activities":[...]}}) as a whole, item by
 * item, and reports every problem with its path ({@code activities[3].type}). Works on the JSON
 * tree so that wrong types and unknown fields are reported like any other error.
 */
final class ActivityValidator {

    static final int MAX_ITEMS = 1_000;
    static final int MAX_EXTERNAL_ID = 200;
    static final int MAX_CUSTOM_NAME = 100;
    static final int MAX_VISITOR_ID = 100;
    static final int MAX_PROPERTIES = 50;
    static final int MAX_PROPERTY_KEY = 50;
    static final int MAX_PROPERTY_VALUE = 2_000;
    static final Duration MAX_FUTURE = Duration.ofMinutes(5);
    static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");

    private static final Set<String> FIELDS = Set.of(
            "externalId",
            "prospectId",
            "email",
            "visitorId",
            "type",
            "customName",
            "occurredAt",
            "campaignId",
            "properties");
    private static final Pattern VISITOR_ID = Pattern.compile("[A-Za-z0-9._:-]+");

    private ActivityValidator() {}

    /** The valid items (by their index in the batch) and every error found. */
    record Result(Map<Integer, NewActivity> items, List<FieldError> errors) {

        boolean valid() {
            return errors.isEmpty();
        }
    }

    static Result validate(JsonNode body, Clock clock) {
        List<FieldError> errors = new ArrayList<>();
        Map<Integer, NewActivity> items = new LinkedHashMap<>();
        if (body == null || !body.isObject()) {
            errors.add(new FieldError("body", "must be a JSON object"));
            return new Result(items, errors);
        }
        for (String name : body.propertyNames()) {
            if (!name.equals("activities")) {
                errors.add(new FieldError(name, "is not a known field"));
            }
        }
        JsonNode list = body.get("activities");
        if (list == null || list.isNull()) {
            errors.add(new FieldError("activities", "is required"));
        } else if (!list.isArray()) {
            errors.add(new FieldError("activities", "must be an array"));
        } else if (list.isEmpty()) {
            errors.add(new FieldError("activities", "must hold at least one activity"));
        } else if (list.size() > MAX_ITEMS) {
            errors.add(new FieldError("activities", "must hold at most " + MAX_ITEMS + " activities"));
        } else {
            Instant latest = clock.instant().plus(MAX_FUTURE);
            Map<String, Integer> seen = new HashMap<>();
            for (int i = 0; i < list.size(); i++) {
                NewActivity item = item(list.get(i), i, latest, errors);
                if (item != null) {
                    Integer first = seen.putIfAbsent(item.externalId(), i);
                    if (first != null) {
                        errors.add(new FieldError(
                                "activities[" + i + "].externalId",
                                "repeats the externalId of activities[" + first + "]"));
                    } else {
                        items.put(i, item);
                    }
                }
            }
        }
        return new Result(items, errors);
    }

    /**
     * The field path {@code activities[i].field}, or the item's own ({@code activities[i]}) for a {@code null} field.
     * Built only for an error: building every field's path of every item was a tenth of the validation's CPU on W1.
     */
    private static String at(int item, String field) {
        return field == null ? "activities[" + item + "]" : "activities[" + item + "]." + field;
    }

    /** The item as a new activity, or {@code null} after adding its errors. */
    private static NewActivity item(JsonNode node, int i, Instant latest, List<FieldError> errors) {
        if (node == null || !node.isObject()) {
            errors.add(new FieldError(at(i, null), "must be a JSON object"));
            return null;
        }
        int before = errors.size();
        for (String name : node.propertyNames()) {
            if (!FIELDS.contains(name)) {
                errors.add(new FieldError(at(i, name), "is not a known field"));
            }
        }
        String externalId = externalId(node.get("externalId"), i, errors);

        Long prospectId = positiveId(node.get("prospectId"), i, "prospectId", errors);
        String email = email(node.get("email"), i, errors);
        String visitorId = visitorId(node.get("visitorId"), i, errors);
        int subjects = (present(node, "prospectId") ? 1 : 0)
                + (present(node, "email") ? 1 : 0)
                + (present(node, "visitorId") ? 1 : 0);
        if (subjects != 1) {
            errors.add(new FieldError(at(i, null), "must name exactly one of prospectId, email or visitorId"));
        }

        ActivityType type = null;
        JsonNode typeNode = node.get("type");
        if (!present(node, "type")) {
            errors.add(new FieldError(at(i, "type"), "is required"));
        } else if (!typeNode.isString() || (type = ActivityType.parse(typeNode.asString())) == null) {
            errors.add(new FieldError(at(i, "type"), "must be one of " + List.of(ActivityType.values())));
        }
        String customName = customName(node.get("customName"), type, i, errors);
        Instant occurredAt = occurredAt(node.get("occurredAt"), latest, i, errors);
        Long campaignId = positiveId(node.get("campaignId"), i, "campaignId", errors);
        Map<String, String> properties = properties(node.get("properties"), i, errors);

        if (errors.size() > before) {
            return null;
        }
        String userAgent = properties.get("userAgent");
        boolean bot = userAgent != null && BotSignature.isBot(userAgent);
        return new NewActivity(
                externalId, prospectId, email, visitorId, type, customName, occurredAt, campaignId, properties, bot);
    }

    private static boolean present(JsonNode item, String field) {
        JsonNode value = item.get(field);
        return value != null && !value.isNull();
    }

    private static String externalId(JsonNode node, int i, List<FieldError> errors) {
        String field = "externalId";
        if (node == null || node.isNull()) {
            errors.add(new FieldError(at(i, field), "is required"));
            return null;
        }
        if (!node.isString()) {
            errors.add(new FieldError(at(i, field), "must be a string"));
            return null;
        }
        String value = node.asString();
        if (value.isBlank() || value.length() > MAX_EXTERNAL_ID) {
            errors.add(new FieldError(at(i, field), "must be 1 to " + MAX_EXTERNAL_ID + " characters, not blank"));
            return null;
        }
        if (!printable(value)) {
            errors.add(new FieldError(at(i, field), "must not contain control characters"));
            return null;
        }
        return value;
    }

    private static Long positiveId(JsonNode node, int i, String field, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() < 1) {
            errors.add(new FieldError(at(i, field), "must be a positive integer id"));
            return null;
        }
        return node.asLong();
    }

    private static String email(JsonNode node, int i, List<FieldError> errors) {
        String field = "email";
        if (node == null || node.isNull()) {
            return null;
        }
        EmailAddress email = node.isString() ? EmailAddress.parse(node.asString()) : null;
        if (email == null) {
            errors.add(new FieldError(at(i, field), "must be a valid email address"));
            return null;
        }
        return email.value();
    }

    private static String visitorId(JsonNode node, int i, List<FieldError> errors) {
        String field = "visitorId";
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isString()
                || node.asString().length() > MAX_VISITOR_ID
                || !VISITOR_ID.matcher(node.asString()).matches()) {
            errors.add(new FieldError(
                    at(i, field),
                    "must be 1 to " + MAX_VISITOR_ID + " characters of letters, digits, '.', '_', ':' or '-'"));
            return null;
        }
        return node.asString();
    }

    private static String customName(JsonNode node, ActivityType type, int i, List<FieldError> errors) {
        String field = "customName";
        boolean given = node != null && !node.isNull();
        if (type != ActivityType.CUSTOM) {
            if (given) {
                errors.add(new FieldError(at(i, field), "is only for CUSTOM activities"));
            }
            return null;
        }
        if (!given) {
            errors.add(new FieldError(at(i, field), "is required for CUSTOM activities"));
            return null;
        }
        if (!node.isString()
                || node.asString().isBlank()
                || node.asString().length() > MAX_CUSTOM_NAME
                || !printable(node.asString())) {
            errors.add(new FieldError(at(i, field), "must be 1 to " + MAX_CUSTOM_NAME + " printable characters"));
            return null;
        }
        return node.asString().strip();
    }

    private static Instant occurredAt(JsonNode node, Instant latest, int i, List<FieldError> errors) {
        String field = "occurredAt";
        if (node == null || node.isNull()) {
            errors.add(new FieldError(at(i, field), "is required"));
            return null;
        }
        Instant instant = null;
        if (node.isString()) {
            try {
                instant = InputDates.instant(node.asString());
            } catch (DateTimeParseException e) {
                // reported below
            }
        }
        if (instant == null) {
            errors.add(new FieldError(at(i, field), "must be an ISO-8601 UTC instant such as 2026-01-31T09:30:00Z"));
            return null;
        }
        if (instant.isAfter(latest)) {
            errors.add(new FieldError(
                    at(i, field), "must not be more than " + MAX_FUTURE.toMinutes() + " minutes in the future"));
            return null;
        }
        if (instant.isBefore(EARLIEST)) {
            errors.add(new FieldError(at(i, field), "must not be before " + EARLIEST));
            return null;
        }
        return instant;
    }

    private static Map<String, String> properties(JsonNode node, int i, List<FieldError> errors) {
        String field = "properties";
        Map<String, String> properties = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return properties;
        }
        if (!node.isObject()) {
            errors.add(new FieldError(at(i, field), "must be a JSON object of strings"));
            return properties;
        }
        if (node.size() > MAX_PROPERTIES) {
            errors.add(new FieldError(at(i, field), "must have at most " + MAX_PROPERTIES + " keys"));
            return properties;
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String key = e.getKey();
            JsonNode value = e.getValue();
            if (key.isEmpty() || key.length() > MAX_PROPERTY_KEY || !printable(key)) {
                errors.add(new FieldError(
                        at(i, field), "has a key that is not 1 to " + MAX_PROPERTY_KEY + " printable characters"));
            } else if (!value.isString()) {
                errors.add(new FieldError(at(i, field + "." + key), "must be a string"));
            } else if (value.asString().length() > MAX_PROPERTY_VALUE) {
                errors.add(new FieldError(
                        at(i, field + "." + key), "must be at most " + MAX_PROPERTY_VALUE + " characters"));
            } else if (value.asString().indexOf('\u0000') >= 0) {
                errors.add(new FieldError(at(i, field + "." + key), "must not contain NUL characters"));
            } else {
                properties.put(key, value.asString());
            }
        }
        return properties;
    }

    private static boolean printable(String s) {
        // a plain loop: the stream of code points cost more than the check on the accept path (docs/benchmarks.md)
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            if (Character.isISOControl(c) || c == 0xFFFD || Character.getType(c) == Character.SURROGATE) {
                return false;
            }
            i += Character.charCount(c);
        }
        return true;
    }
}

package dev.kindling.capture.forms;

import dev.kindling.capture.VisitorId;
import dev.kindling.capture.WebAddress;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.prospects.ProspectField;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongPredicate;
import java.util.regex.Pattern;

/** What a client may set on a form, validated as a whole. */
record FormValues(
        String key,
        String name,
        Map<String, String> fieldMapping,
        List<String> requiredFields,
        String successUrl,
        String errorUrl,
        Long campaignId,
        List<Object> completionActions) {

    /** Posted field names the handler reads itself; they cannot be mapped. */
    static final String HONEYPOT = "website_url";

    static final Set<String> RESERVED = Set.of(HONEYPOT, VisitorId.FORM_FIELD);
    static final Set<String> FIELDS = Set.of(
            "key",
            "name",
            "fieldMapping",
            "requiredFields",
            "successUrl",
            "errorUrl",
            "campaignId",
            "completionActions");
    private static final Pattern KEY = Pattern.compile("[a-z0-9-]{3,64}");
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * @param raw          the JSON fields (for a change: the current values overlaid with the given ones)
     * @param customFields names of the defined custom fields
     * @param campaignExists whether a campaign id names a campaign
     * @param completionActions validates the completion actions (adding errors), returning their normal form
     */
    static FormValues validate(
            Map<String, Object> raw,
            Set<String> customFields,
            LongPredicate campaignExists,
            java.util.function.BiFunction<Object, List<FieldError>, List<Object>> completionActions) {
        List<FieldError> errors = new ArrayList<>();
        for (String field : raw.keySet()) {
            if (!FIELDS.contains(field)) {
                errors.add(new FieldError(field, "is not a known field"));
            }
        }
        String key = null;
        Object rawKey = raw.get("key");
        if (rawKey == null) {
            key = generatedKey();
        } else if (!(rawKey instanceof String s) || !KEY.matcher(s).matches()) {
            errors.add(new FieldError("key", "must be 3 to 64 lower-case letters, digits or '-'"));
        } else {
            key = s;
        }
        String name = null;
        if (!(raw.get("name") instanceof String s) || s.isBlank()) {
            errors.add(new FieldError("name", "is required"));
        } else if (s.strip().length() > 200) {
            errors.add(new FieldError("name", "must be at most 200 characters"));
        } else {
            name = s.strip();
        }
        Map<String, String> mapping = new LinkedHashMap<>();
        Object rawMapping = raw.get("fieldMapping");
        if (!(rawMapping instanceof Map<?, ?> m) || m.isEmpty()) {
            errors.add(new FieldError("fieldMapping", "is required: an object of posted field name to prospect field"));
        } else if (m.size() > 200) {
            errors.add(new FieldError("fieldMapping", "must have at most 200 entries"));
        } else {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String posted = String.valueOf(e.getKey());
                String where = "fieldMapping." + posted;
                if (posted.isBlank() || posted.length() > 100) {
                    errors.add(new FieldError(where, "the posted field name must be 1 to 100 characters"));
                } else if (RESERVED.contains(posted)) {
                    errors.add(new FieldError(where, "is reserved for the form handler"));
                } else if (!(e.getValue() instanceof String target)
                        || (ProspectField.byJson(target) == null && !customFields.contains(target))) {
                    errors.add(new FieldError(where, "must name a prospect field or a custom field"));
                } else {
                    mapping.put(posted, target);
                }
            }
            if (!m.isEmpty()
                    && !mapping.containsValue(ProspectField.EMAIL.json())
                    && errors.stream().noneMatch(e -> e.field().startsWith("fieldMapping"))) {
                errors.add(new FieldError("fieldMapping", "must map a posted field to email"));
            }
        }
        List<String> required = new ArrayList<>();
        Object rawRequired = raw.get("requiredFields");
        if (rawRequired != null) {
            if (!(rawRequired instanceof List<?> list)) {
                errors.add(new FieldError("requiredFields", "must be a list of prospect field names"));
            } else {
                for (int i = 0; i < list.size(); i++) {
                    if (!(list.get(i) instanceof String f) || !mapping.containsValue(f)) {
                        errors.add(
                                new FieldError("requiredFields[" + i + "]", "must be a field that fieldMapping fills"));
                    } else if (!required.contains(f)) {
                        required.add(f);
                    }
                }
            }
        }
        String success = url(raw, "successUrl", true, errors);
        String error = url(raw, "errorUrl", false, errors);
        Long campaignId = null;
        Object rawCampaign = raw.get("campaignId");
        if (rawCampaign != null) {
            if (!(rawCampaign instanceof Long id) || !campaignExists.test(id)) {
                errors.add(new FieldError("campaignId", "names no campaign"));
            } else {
                campaignId = id;
            }
        }
        List<Object> actions = new ArrayList<>();
        Object rawActions = raw.get("completionActions");
        if (rawActions != null) {
            actions = completionActions.apply(rawActions, errors);
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new FormValues(key, name, mapping, required, success, error, campaignId, actions);
    }

    private static String url(Map<String, Object> raw, String field, boolean required, List<FieldError> errors) {
        Object value = raw.get(field);
        if (value == null || value instanceof String s && s.isBlank()) {
            if (required) {
                errors.add(new FieldError(field, "is required"));
            }
            return null;
        }
        if (!(value instanceof String s) || !WebAddress.isRedirectTarget(s.strip())) {
            errors.add(new FieldError(field, "must be an absolute http or https URL"));
            return null;
        }
        return s.strip();
    }

    private static String generatedKey() {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder key = new StringBuilder(12);
        for (int i = 0; i < 12; i++) {
            key.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return key.toString();
    }
}

package dev.kindling.capture.forms;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A form's configuration. {@code fieldMapping} maps a posted field name to a prospect field (a
 * standard field's JSON name or a custom field's name); {@code requiredFields} name prospect
 * fields. Redirects go only to {@code successUrl} and {@code errorUrl}.
 */
public record Form(
        long id,
        String key,
        String name,
        Map<String, String> fieldMapping,
        List<String> requiredFields,
        String successUrl,
        String errorUrl,
        Long campaignId,
        List<Object> completionActions,
        Instant createdAt) {

    public Form {
        fieldMapping = Map.copyOf(fieldMapping);
        requiredFields = List.copyOf(requiredFields);
        completionActions = List.copyOf(completionActions);
    }
}

package dev.kindling.prospects;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Validated values to write to a prospect: standard fields (a {@code null} value clears the
 * field) and custom fields, already converted to their declared types.
 */
public record ProspectChanges(Map<ProspectField, Object> fields, Map<String, Object> custom) {

    public ProspectChanges {
        EnumMap<ProspectField, Object> copy = new EnumMap<>(ProspectField.class);
        copy.putAll(fields);
        fields = Collections.unmodifiableMap(copy);
        custom = Collections.unmodifiableMap(new LinkedHashMap<>(custom));
    }

    public static ProspectChanges empty() {
        return new ProspectChanges(new EnumMap<>(ProspectField.class), Map.of());
    }

    public String email() {
        return (String) fields.get(ProspectField.EMAIL);
    }

    public boolean isEmpty() {
        return fields.isEmpty() && custom.isEmpty();
    }
}

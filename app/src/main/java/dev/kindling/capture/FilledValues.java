package dev.kindling.capture;

import dev.kindling.prospects.ProspectChanges;
import dev.kindling.prospects.ProspectField;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Captured text (form posts, CSV cells) sets values but never clears them: an empty optional
 * field means "not given", not "erase what is known" — as marketing tools behave.
 */
public final class FilledValues {

    private FilledValues() {}

    /** The changes without the ones that would clear a field. */
    public static ProspectChanges of(ProspectChanges changes) {
        Map<ProspectField, Object> fields = new EnumMap<>(ProspectField.class);
        changes.fields().forEach((field, value) -> {
            if (value != null) {
                fields.put(field, value);
            }
        });
        Map<String, Object> custom = new LinkedHashMap<>();
        changes.custom().forEach((name, value) -> {
            if (value != null) {
                custom.put(name, value);
            }
        });
        return new ProspectChanges(fields, custom);
    }
}

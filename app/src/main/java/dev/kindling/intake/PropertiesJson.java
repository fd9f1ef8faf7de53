package dev.kindling.intake;

import dev.kindling.dataset.load.Json;
import dev.kindling.platform.database.JsonText;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * An activity's properties (a flat object of strings) as the JSON text its {@code properties} column is written from
 * and read back as, by hand: the accept wrote each batch's maps through {@code ObjectMapper.writeValueAsString} and the
 * intake read each row's through {@code readValue}, about a sixth of the HTTP threads' and a tenth of the intake's CPU
 * on W1 (docs/benchmarks.md, issue 16). {@link #write} is the dataset generator's writer of the same objects
 * ({@link Json#appendObject}; any JSON text of a map is stored as the same {@code jsonb}); {@link #read} takes
 * PostgreSQL's {@code jsonb::text} of such an object and hands anything else (a value that is not a string, a nested
 * object, anything malformed) to Jackson, so its answers, and its errors, are Jackson's.
 */
final class PropertiesJson {

    private static final TypeReference<Map<String, String>> PROPERTIES = new TypeReference<>() {};

    private PropertiesJson() {}

    /** The JSON object of {@code properties}, written as the dataset generator writes them (one writer for both). */
    static String write(Map<String, String> properties) {
        return Json.appendObject(new StringBuilder(16 * properties.size() + 16), properties)
                .toString();
    }

    /** The properties in {@code text}, a JSON object of strings; what Jackson answers (or throws) for anything else. */
    static Map<String, String> read(String text, JsonMapper json) {
        Map<String, String> parsed = plain(text);
        return parsed != null ? parsed : json.readValue(text, PROPERTIES);
    }

    /** A flat object of strings, or {@code null} for anything else (which Jackson then reads). */
    private static Map<String, String> plain(String text) {
        JsonText t = new JsonText(text);
        if (text == null || !t.skip() || !t.takeThenSkip('{')) {
            return null;
        }
        Map<String, String> properties = new LinkedHashMap<>();
        if (t.take('}')) {
            return t.end() ? properties : null;
        }
        while (true) {
            String key = t.key();
            if (key == null) {
                return null;
            }
            String value = t.string();
            if (value == null || properties.put(key, value) != null || !t.skip()) {
                return null;
            }
            if (t.take('}')) {
                return t.end() ? properties : null;
            }
            if (!t.takeThenSkip(',')) {
                return null;
            }
        }
    }
}

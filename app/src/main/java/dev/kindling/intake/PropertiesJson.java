package dev.kindling.intake;

import dev.kindling.dataset.load.Json;
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
        Map<String, String> parsed = new Reader(text).object();
        return parsed != null ? parsed : json.readValue(text, PROPERTIES);
    }

    /** A flat object of strings, or {@code null} for anything else (which Jackson then reads). */
    private static final class Reader {

        private final String text;
        private int at;

        Reader(String text) {
            this.text = text;
        }

        Map<String, String> object() {
            if (text == null || !skip() || text.charAt(at++) != '{' || !skip()) {
                return null;
            }
            Map<String, String> properties = new LinkedHashMap<>();
            if (text.charAt(at) == '}') {
                at++;
                return end() ? properties : null;
            }
            while (true) {
                String key = string();
                if (key == null || !skip() || text.charAt(at++) != ':' || !skip()) {
                    return null;
                }
                String value = string();
                if (value == null || properties.put(key, value) != null || !skip()) {
                    return null;
                }
                char c = text.charAt(at++);
                if (c == '}') {
                    return end() ? properties : null;
                }
                if (c != ',' || !skip()) {
                    return null;
                }
            }
        }

        /** Past any whitespace; whether anything follows. */
        private boolean skip() {
            while (at < text.length()) {
                char c = text.charAt(at);
                if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                    return true;
                }
                at++;
            }
            return false;
        }

        private boolean end() {
            return !skip();
        }

        private String string() {
            if (text.charAt(at) != '"') {
                return null;
            }
            int from = ++at;
            StringBuilder escaped = null;
            while (at < text.length()) {
                char c = text.charAt(at);
                if (c == '"') {
                    String s = escaped == null
                            ? text.substring(from, at)
                            : escaped.append(text, from, at).toString();
                    at++;
                    return s;
                }
                if (c < 0x20) {
                    return null;
                }
                if (c != '\\') {
                    at++;
                    continue;
                }
                if (escaped == null) {
                    escaped = new StringBuilder();
                }
                escaped.append(text, from, at);
                if (++at >= text.length()) {
                    return null;
                }
                char e = text.charAt(at++);
                switch (e) {
                    case '"', '\\', '/' -> escaped.append(e);
                    case 'b' -> escaped.append('\b');
                    case 't' -> escaped.append('\t');
                    case 'n' -> escaped.append('\n');
                    case 'f' -> escaped.append('\f');
                    case 'r' -> escaped.append('\r');
                    case 'u' -> {
                        if (at + 4 > text.length()) {
                            return null;
                        }
                        int code = 0;
                        for (int k = 0; k < 4; k++) {
                            char h = text.charAt(at++);
                            int digit = h >= '0' && h <= '9'
                                    ? h - '0'
                                    : h >= 'a' && h <= 'f' ? h - 'a' + 10 : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
                            if (digit < 0) {
                                return null;
                            }
                            code = code << 4 | digit;
                        }
                        escaped.append((char) code);
                    }
                    default -> {
                        return null;
                    }
                }
                from = at;
            }
            return null;
        }
    }
}

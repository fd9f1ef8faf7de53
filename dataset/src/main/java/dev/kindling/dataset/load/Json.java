package dev.kindling.dataset.load;

import java.util.Map;

/** Just enough JSON writing for activity properties and API batches, without a JSON library. */
public final class Json {

    private Json() {}

    /** Appends {@code value} as a JSON string literal, or {@code null}. */
    public static StringBuilder appendString(StringBuilder out, String value) {
        if (value == null) {
            return out.append("null");
        }
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }

    /** Appends a flat object of string values, in the map's iteration order. */
    public static StringBuilder appendObject(StringBuilder out, Map<String, String> properties) {
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, String> entry : properties.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            appendString(out, entry.getKey()).append(':');
            appendString(out, entry.getValue());
        }
        return out.append('}');
    }
}

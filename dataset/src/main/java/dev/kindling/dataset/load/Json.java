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
        // the characters needing no escape appended in runs, not one by one: the activity API writes every accepted
        // activity's properties with this (docs/benchmarks.md, issue 16)
        int from = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                continue;
            }
            out.append(value, from, i);
            from = i + 1;
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(String.format("\\u%04x", (int) c));
            }
        }
        out.append(value, from, value.length());
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

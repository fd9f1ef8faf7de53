package dev.kindling.dataset.load;

/** PostgreSQL's COPY text format: tab-separated, backslash escapes, {@code \N} for null. */
final class CopyText {

    private CopyText() {}

    static StringBuilder field(StringBuilder out, String value) {
        if (value == null) {
            return out.append("\\N");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
        return out;
    }

    static StringBuilder field(StringBuilder out, Object value) {
        return field(out, value == null ? null : value.toString());
    }
}

package dev.kindling.platform.web;

import java.util.List;

/**
 * CSV (RFC 4180, CRLF) for reports and exports. Names and reasons may be prospect or user data, so every cell is
 * guarded against formula injection: a cell starting with {@code = + - @}, a tab or a carriage return gets a
 * leading apostrophe (negative numbers are written by us and cannot occur in these reports).
 */
public final class Csv {

    private final StringBuilder out = new StringBuilder();

    public Csv(String... header) {
        row((Object[]) header);
    }

    public Csv row(Object... cells) {
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(cell(cells[i] == null ? "" : cells[i].toString()));
        }
        out.append("\r\n");
        return this;
    }

    public Csv rows(List<Object[]> rows) {
        rows.forEach(this::row);
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }

    public static String cell(String value) {
        if (value.isEmpty()) {
            return "";
        }
        String v = value;
        char first = v.charAt(0);
        if (first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r') {
            v = "'" + v;
        }
        if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
            v = '"' + v.replace("\"", "\"\"") + '"';
        }
        return v;
    }
}

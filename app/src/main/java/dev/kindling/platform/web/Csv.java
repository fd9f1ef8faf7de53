package dev.kindling.platform.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

/**
 * The app's one CSV writer (RFC 4180, CRLF): reports build small files with it, and the list APIs stream every page
 * of a listing with {@link #stream}. Cells may hold prospect or user data, so every cell is guarded against formula
 * injection: a cell starting with {@code = + - @}, a tab or a carriage return gets a leading apostrophe.
 */
public final class Csv {

    public static final MediaType MEDIA_TYPE = new MediaType("text", "csv", StandardCharsets.UTF_8);

    private final StringBuilder out = new StringBuilder();

    public Csv(String... header) {
        row((Object[]) header);
    }

    public Csv row(Object... cells) {
        out.append(line(cells));
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

    /** One record with its CRLF; null cells are empty. */
    public static String line(Object... cells) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                line.append(',');
            }
            line.append(cell(cells[i] == null ? "" : cells[i].toString()));
        }
        return line.append("\r\n").toString();
    }

    /** One cell: guarded against formula injection, then quoted when it holds a comma, quote or line break. */
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

    /** A page of a cursor-paged listing: its items and the cursor of the next page (null after the last). */
    public record Page<T>(List<T> items, String nextCursor) {}

    /**
     * Streams a whole cursor-paged listing as a CSV download: the header, then {@code page(cursor)} page after page
     * (the first with a null cursor) until there is no next cursor, each item one row, flushed page by page so
     * memory holds one page at most.
     */
    public static <T> void stream(
            HttpServletResponse response,
            String filename,
            List<String> header,
            Function<String, Page<T>> page,
            Function<T, Object[]> row)
            throws IOException {
        response.setContentType(MEDIA_TYPE.toString());
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + filename + "\"");
        Writer out = response.getWriter();
        out.write(line(header.toArray()));
        String cursor = null;
        do {
            Page<T> next = page.apply(cursor);
            for (T item : next.items()) {
                out.write(line(row.apply(item)));
            }
            out.flush();
            cursor = next.nextCursor();
        } while (cursor != null);
    }
}

package dev.kindling.capture.imports;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads CSV as RFC 4180 describes it: records end with CRLF, LF or CR; a field in double quotes
 * may hold separators, line breaks and doubled quotes. Leniencies, for files real tools write: a
 * quote inside an unquoted field is kept as a character, and text after a closing quote is kept.
 * The separator is a comma or a tab, whichever the header line has more of (outside quotes).
 */
final class CsvReader {

    private CsvReader() {}

    /** The file is not what the reader accepts; {@code getMessage()} says why, for the client. */
    static final class CsvException extends Exception {
        CsvException(String message) {
            super(message);
        }
    }

    /** Strict UTF-8 decoding (malformed bytes are an error, not replacement characters), without a BOM. */
    static String decode(byte[] bytes) throws CsvException {
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new CsvException("file is not UTF-8");
        }
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    static char detectSeparator(String text) {
        int commas = 0;
        int tabs = 0;
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && (c == '\n' || c == '\r')) {
                break;
            } else if (!quoted && c == ',') {
                commas++;
            } else if (!quoted && c == '\t') {
                tabs++;
            }
        }
        return tabs > commas ? '\t' : ',';
    }

    /**
     * The records of {@code text}, at most {@code maxRecords} (more is an error). A final line
     * break does not start an empty record.
     */
    static List<List<String>> parse(String text, char separator, int maxRecords) throws CsvException {
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        int line = 1;
        int quoteLine = 0;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < n && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append(c);
                }
            } else if (c == '"' && field.isEmpty() && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
                quoteLine = line;
            } else if (c == separator) {
                record.add(field.toString());
                field.setLength(0);
                wasQuoted = false;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
                    i++;
                }
                line++;
                record.add(field.toString());
                field.setLength(0);
                wasQuoted = false;
                records.add(record);
                if (records.size() > maxRecords) {
                    throw new CsvException("file has more than " + (maxRecords - 1) + " rows");
                }
                record = new ArrayList<>();
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            throw new CsvException("a quoted field that starts on line " + quoteLine + " is never closed");
        }
        if (!field.isEmpty() || !record.isEmpty() || wasQuoted) {
            record.add(field.toString());
            records.add(record);
            if (records.size() > maxRecords) {
                throw new CsvException("file has more than " + (maxRecords - 1) + " rows");
            }
        }
        return records;
    }

    /** A record that is one empty field: a blank line. */
    static boolean isBlank(List<String> record) {
        return record.size() == 1 && record.get(0).isBlank();
    }
}

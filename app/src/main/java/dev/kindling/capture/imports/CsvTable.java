package dev.kindling.capture.imports;

import dev.kindling.platform.web.InvalidInputException;
import java.util.ArrayList;
import java.util.List;

/**
 * An uploaded CSV file: its header and its data rows, each with its row number (the header is
 * row 1; a quoted field with line breaks keeps a record one row). Blank lines are dropped.
 */
record CsvTable(List<String> header, List<Row> rows) {

    static final int MAX_ROWS = 100_000;

    record Row(int number, List<String> cells) {

        /** The cell under {@code column}, or "" when the row is shorter than the header. */
        String cell(int column) {
            return column < cells.size() ? cells.get(column) : "";
        }
    }

    /** Reads a file, or answers 400 with what is wrong with it (not UTF-8, unclosed quote, too many rows, empty). */
    static CsvTable read(byte[] bytes) {
        try {
            String text = CsvReader.decode(bytes);
            List<List<String>> records = CsvReader.parse(text, CsvReader.detectSeparator(text), MAX_ROWS + 1);
            if (records.isEmpty() || CsvReader.isBlank(records.get(0))) {
                throw InvalidInputException.of("file", "has no header row");
            }
            List<String> header = records.get(0).stream().map(String::strip).toList();
            List<Row> rows = new ArrayList<>();
            for (int i = 1; i < records.size(); i++) {
                if (!CsvReader.isBlank(records.get(i))) {
                    rows.add(new Row(i + 1, records.get(i)));
                }
            }
            return new CsvTable(header, rows);
        } catch (CsvReader.CsvException e) {
            throw InvalidInputException.of("file", e.getMessage());
        }
    }
}

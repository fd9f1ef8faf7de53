package dev.kindling.bench.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A Markdown table of one result row plus the machine facts, ready to paste into docs/benchmarks.md. */
public final class ResultTable {

    private final List<String> headers = new ArrayList<>();
    private final List<String> values = new ArrayList<>();

    public ResultTable column(String header, Object value) {
        headers.add(header);
        values.add(String.valueOf(value));
        return this;
    }

    public String render(MachineFacts facts, String command) {
        StringBuilder out = new StringBuilder();
        out.append(row(headers))
                .append(separator(headers.size()))
                .append(row(values))
                .append('\n');
        out.append("| machine fact | value |\n|---|---|\n");
        for (Map.Entry<String, String> fact : facts.asRows().entrySet()) {
            out.append("| ")
                    .append(fact.getKey())
                    .append(" | ")
                    .append(fact.getValue())
                    .append(" |\n");
        }
        out.append("\ncommand: `").append(command).append("`\n");
        return out.toString();
    }

    private static String row(List<String> cells) {
        return "| " + String.join(" | ", cells) + " |\n";
    }

    private static String separator(int columns) {
        return "|" + "---|".repeat(columns) + "\n";
    }
}

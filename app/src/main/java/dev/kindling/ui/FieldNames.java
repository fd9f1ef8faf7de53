package dev.kindling.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * A validator's field path made readable for a person, so no page shows a raw JSON path: {@code businessHours.closes}
 * reads "Business hours › closes", {@code all[2].activity.withinDays} "All 3 › activity › within days" (positions
 * counted from 1). A segment with a message {@code field.<segment>} in the bundle takes its words from there (so a
 * translation can follow). Called from templates as {@code @fieldNames.of(path)}; the shared error fragments
 * ({@code fragments/field}) use it.
 */
@Component("fieldNames")
public class FieldNames {

    /** Words written in capitals whatever the path's case: {@code successUrl} reads "success URL". */
    private static final Set<String> ACRONYMS = Set.of("API", "CSV", "ID", "MQL", "SAL", "SLA", "SQL", "URL", "UTM");

    private static final Pattern SEGMENT = Pattern.compile("([^.\\[\\]]+)|\\[(\\d+)]");

    private final Labels labels;

    public FieldNames(Labels labels) {
        this.labels = labels;
    }

    public String of(String path) {
        if (path == null || path.isBlank()) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        Matcher m = SEGMENT.matcher(path);
        while (m.find()) {
            if (m.group(2) != null && !parts.isEmpty()) {
                int position = Integer.parseInt(m.group(2).length() > 9 ? "0" : m.group(2)) + 1;
                parts.set(parts.size() - 1, parts.getLast() + " " + position);
            } else if (m.group(1) != null) {
                parts.add(labels.message("field." + m.group(1), words(m.group(1))));
            }
        }
        if (parts.isEmpty()) {
            return path;
        }
        String joined = String.join(" › ", parts);
        return Character.toUpperCase(joined.charAt(0)) + joined.substring(1);
    }

    /** An error as one line: "Field name: message", or the message alone when it names no field. */
    public String line(String path, String message) {
        String name = of(path);
        return name.isEmpty() ? message : name + ": " + message;
    }

    /** {@code withinDays} "within days", {@code start_date} "start date"; an acronym (URL, UTM) stays as it is. */
    static String words(String segment) {
        return lowerWords(segment.replaceAll("(?<=[a-z0-9])(?=[A-Z])", " ").replace('_', ' '));
    }

    private static String lowerWords(String spaced) {
        StringBuilder out = new StringBuilder();
        for (String w : spaced.split(" ")) {
            if (!out.isEmpty()) {
                out.append(' ');
            }
            // an acronym (URL, UTM) stays as it is; a camel-case word is lower-cased
            String upper = w.toUpperCase(Locale.ROOT);
            out.append(
                    ACRONYMS.contains(upper) || (w.length() > 1 && w.equals(upper))
                            ? upper
                            : w.toLowerCase(Locale.ROOT));
        }
        return out.toString();
    }
}

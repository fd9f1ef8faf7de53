package dev.kindling.ui;

import java.util.Locale;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Human labels for the enum constants pages show (stages, statuses, roles): {@code DISQUALIFIED} reads
 * "Disqualified", {@code INSIDE_SALES} "Inside sales"; the funnel's acronyms stay as they are. Called from templates as
 * {@code @labels.of(value)}; the raw name stays in attributes ({@code data-*}, CSS classes) for scripts and styles.
 */
@Component("labels")
public class Labels {

    private static final Set<String> ACRONYMS = Set.of("MQL", "SAL", "SQL", "SLA", "API", "CSV", "URL", "AB");

    public String of(Object value) {
        if (value == null) {
            return "";
        }
        String name = value instanceof Enum<?> e ? e.name() : value.toString();
        if (ACRONYMS.contains(name) || !name.equals(name.toUpperCase(Locale.ROOT))) {
            return name;
        }
        String words = name.toLowerCase(Locale.ROOT).replace('_', ' ');
        return words.isEmpty() ? words : Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }
}

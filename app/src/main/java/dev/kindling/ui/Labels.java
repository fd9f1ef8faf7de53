package dev.kindling.ui;

import java.util.Locale;
import java.util.Set;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Component;

/**
 * The words pages show, in the signed-in user's language, from the one message bundle ({@code messages.properties},
 * {@code messages_ja.properties}): enum constants (stages, activity types, statuses, roles) by the key
 * {@code label.<NAME>}, and any other key with its English default ({@link #message}). A constant without a key reads
 * as its name made readable: {@code DISQUALIFIED} "Disqualified", {@code INSIDE_SALES} "Inside sales"; the funnel's
 * acronyms stay as they are. Called from templates as {@code @labels.of(value)}; the raw name stays in attributes
 * ({@code data-*}, CSS classes) for scripts and styles. Outside a request (exports, mail) the words are English.
 */
@Component("labels")
public class Labels {

    private static final Set<String> ACRONYMS = Set.of("MQL", "SAL", "SQL", "SLA", "API", "CSV", "URL", "AB");

    private final MessageSource messages;

    public Labels(MessageSource messages) {
        this.messages = messages;
    }

    public String of(Object value) {
        if (value == null) {
            return "";
        }
        String name = value instanceof Enum<?> e ? e.name() : value.toString();
        if (ACRONYMS.contains(name) || !name.equals(name.toUpperCase(Locale.ROOT))) {
            return name;
        }
        return message("label." + name, readable(name));
    }

    /** The message with this key in the user's language, else {@code english}. */
    public String message(String key, String english) {
        String found = messages.getMessage(key, null, null, locale());
        return found == null ? english : found;
    }

    private static String readable(String name) {
        String words = name.toLowerCase(Locale.ROOT).replace('_', ' ');
        return words.isEmpty() ? words : Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    private static Locale locale() {
        return LocaleContextHolder.getLocaleContext() == null ? Locale.ENGLISH : LocaleContextHolder.getLocale();
    }
}

package dev.kindling.email;

import dev.kindling.platform.web.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.web.util.HtmlUtils;

/**
 * The merge-field language of templates: {@code {{first_name|there}}} is the prospect's first name, or "there" when
 * it is empty; {@code {{unsubscribe_url}}} is the recipient's unsubscribe link; {@code {{block:name}}} is the dynamic
 * content block of that name. Values (and fallbacks) are HTML-escaped in the HTML part and inserted as they are in
 * the text part. Substitution is one pass over the template, so a prospect's value is never read as a merge field.
 */
final class MergeFields {

    static final String UNSUBSCRIBE = "unsubscribe_url";
    static final String BLOCK_PREFIX = "block:";

    /** Prospect fields a template may name, by merge-field name → column. Only email is never empty. */
    static final Map<String, String> FIELDS = Map.ofEntries(
            Map.entry("email", "email"),
            Map.entry("first_name", "first_name"),
            Map.entry("last_name", "last_name"),
            Map.entry("company", "company"),
            Map.entry("job_title", "job_title"),
            Map.entry("department", "department"),
            Map.entry("industry", "industry"),
            Map.entry("country", "country"),
            Map.entry("phone", "phone"),
            Map.entry("website", "website"));

    private static final Set<String> NEVER_EMPTY = Set.of("email", UNSUBSCRIBE);
    private static final Pattern TAG = Pattern.compile("\\{\\{([^{}]*)}}");
    private static final Pattern NAME =
            Pattern.compile("(block:)?[a-z][a-z0-9_]{0,63}|custom\\.[A-Za-z][A-Za-z0-9_]{0,63}");

    private MergeFields() {}

    /** One merge field as written. */
    record Tag(String name, String fallback) {

        boolean isBlock() {
            return name.startsWith(BLOCK_PREFIX);
        }

        String blockName() {
            return name.substring(BLOCK_PREFIX.length());
        }
    }

    /**
     * Every problem of {@code template} at {@code path}: malformed or unknown merge fields, a field that may be empty
     * without a fallback, a block that is not defined (when {@code blocks} is non-null) or any block at all (null).
     */
    static List<Tag> check(
            String template, String path, Set<String> blocks, Set<String> customFields, List<FieldError> errors) {
        List<Tag> tags = new ArrayList<>();
        Matcher m = TAG.matcher(template);
        int last = 0;
        while (m.find()) {
            checkStray(template.substring(last, m.start()), path, errors);
            last = m.end();
            String inner = m.group(1);
            int bar = inner.indexOf('|');
            String name = (bar < 0 ? inner : inner.substring(0, bar)).strip();
            String fallback = bar < 0 ? null : inner.substring(bar + 1).strip();
            if (!NAME.matcher(name).matches()) {
                errors.add(new FieldError(path, "{{" + inner + "}} is not a merge field"));
                continue;
            }
            Tag tag = new Tag(name, fallback);
            if (tag.isBlock()) {
                if (blocks == null) {
                    errors.add(new FieldError(path, "{{" + name + "}}: a content block cannot contain another block"));
                } else if (!blocks.contains(tag.blockName())) {
                    errors.add(new FieldError(path, "{{" + name + "}} names no content block of this template"));
                } else if (fallback != null) {
                    errors.add(new FieldError(path, "{{" + name + "}}: a block takes no fallback (it has a default)"));
                }
            } else if (name.startsWith("custom.")) {
                if (!customFields.contains(name.substring("custom.".length()))) {
                    errors.add(new FieldError(path, "{{" + name + "}} names no custom field"));
                } else if (fallback == null) {
                    errors.add(missingFallback(path, name));
                }
            } else if (!FIELDS.containsKey(name) && !UNSUBSCRIBE.equals(name)) {
                errors.add(new FieldError(
                        path,
                        "{{" + name + "}} is not a merge field (known: "
                                + String.join(", ", new java.util.TreeSet<>(FIELDS.keySet())) + ", custom.<name>, "
                                + UNSUBSCRIBE + ")"));
            } else if (fallback == null && !NEVER_EMPTY.contains(name)) {
                errors.add(missingFallback(path, name));
            } else if (fallback != null && UNSUBSCRIBE.equals(name)) {
                errors.add(new FieldError(path, "{{" + UNSUBSCRIBE + "}} takes no fallback"));
            }
            tags.add(tag);
        }
        checkStray(template.substring(last), path, errors);
        return tags;
    }

    private static FieldError missingFallback(String path, String name) {
        return new FieldError(
                path,
                "{{" + name + "}} may be empty for some prospects: give a fallback, e.g. {{" + name
                        + "|there}} (an explicit empty fallback {{" + name + "|}} is allowed)");
    }

    private static void checkStray(String text, String path, List<FieldError> errors) {
        if (text.contains("{{") || text.contains("}}")) {
            errors.add(new FieldError(path, "has an unclosed or malformed merge field (\"{{\" without \"}}\")"));
        }
    }

    static boolean mentions(String template, String name) {
        Matcher m = TAG.matcher(template);
        while (m.find()) {
            String inner = m.group(1);
            int bar = inner.indexOf('|');
            if ((bar < 0 ? inner : inner.substring(0, bar)).strip().equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** Replaces each block tag with the raw (author-written) content {@code blocks} gives for it. */
    static String expandBlocks(String template, Function<String, String> blocks) {
        return replace(template, tag -> tag.isBlock() ? blocks.apply(tag.blockName()) : null);
    }

    /**
     * Replaces every merge field with its value from {@code values} (null or blank: the fallback), escaped when
     * {@code html}. {@code unsubscribeUrl} fills {@code {{unsubscribe_url}}}.
     */
    static String merge(String template, Function<String, String> values, String unsubscribeUrl, boolean html) {
        return replace(template, tag -> {
            if (tag.isBlock()) {
                return "";
            }
            String value = UNSUBSCRIBE.equals(tag.name()) ? unsubscribeUrl : values.apply(tag.name());
            if (value == null || value.isBlank()) {
                value = tag.fallback() == null ? "" : tag.fallback();
            }
            return html ? HtmlUtils.htmlEscape(value, "UTF-8") : value;
        });
    }

    /** One pass: {@code replacement} null keeps the tag as written. */
    private static String replace(String template, Function<Tag, String> replacement) {
        Matcher m = TAG.matcher(template);
        StringBuilder out = new StringBuilder(template.length() + 64);
        int last = 0;
        while (m.find()) {
            out.append(template, last, m.start());
            String inner = m.group(1);
            int bar = inner.indexOf('|');
            Tag tag = new Tag(
                    (bar < 0 ? inner : inner.substring(0, bar)).strip(),
                    bar < 0 ? null : inner.substring(bar + 1).strip());
            String value = replacement.apply(tag);
            out.append(value == null ? m.group() : value);
            last = m.end();
        }
        out.append(template, last, template.length());
        return out.toString();
    }
}

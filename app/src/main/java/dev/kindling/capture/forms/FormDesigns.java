package dev.kindling.capture.forms;

import dev.kindling.platform.cluster.ConfigurationChanged;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * A form as the form pages design it: its fields in order, each with the posted name, label, the prospect field it
 * fills, input type, whether it is required and the message shown when it is missing or invalid; and whether the
 * rendered form carries the honeypot. Saving writes the form's configuration (validated exactly like the API) and its
 * layout in one transaction.
 *
 * <p>The public form handler reads a form by its key on every post, so the forms found are kept in memory: a change to
 * a form, on any instance, makes every instance forget them ({@link Forms#changed}, within a second on the others). An
 * entry read while a change was being made is never kept: each carries the count of changes seen when its read
 * began, and only an entry of the current count is used. Unknown keys are not kept (anyone may post to any key).
 */
@Component
class FormDesigns {

    static final String RATE_LIMIT_MESSAGE = "must be a whole number from 1 to 10,000, or empty for the default";

    static final Set<String> TYPES = Set.of("text", "email", "tel", "number", "textarea", "checkbox");
    private static final TypeReference<List<Map<String, String>>> LAYOUT = new TypeReference<>() {};

    private final Forms forms;
    private final JdbcClient jdbc;
    private final JsonMapper json;
    /** Changes seen so far; a cached design is used only while this is what it was when its read began. */
    private final AtomicLong generation = new AtomicLong();

    private final ConcurrentHashMap<String, Cached> byKey = new ConcurrentHashMap<>();

    private record Cached(long generation, Design design) {}

    FormDesigns(Forms forms, JdbcClient jdbc, JsonMapper json) {
        this.forms = forms;
        this.jdbc = jdbc;
        this.json = json;
    }

    /** One field of a form: posted name, label, prospect field, input type, required, message when invalid. */
    record Field(String name, String label, String target, String type, boolean required, String message) {}

    /**
     * How the form behaves beyond its configuration: the honeypot field, its own limit of submissions per minute from
     * one address (null: the instance-wide default) and progressive profiling (a known visitor is asked for the
     * fields not yet known).
     */
    record Settings(boolean honeypot, Integer rateLimitPerMinute, boolean progressive) {

        static final int MAX_RATE_LIMIT = 10_000;
    }

    /** A form with its fields in order. */
    record Design(Form form, List<Field> fields, Settings settings) {

        boolean honeypot() {
            return settings.honeypot();
        }
    }

    Optional<Design> find(long id) {
        return jdbc.sql("SELECT key FROM form WHERE id = :id")
                .param("id", id)
                .query(String.class)
                .optional()
                .flatMap(this::findByKey);
    }

    /** The form with this key and its design, from memory when read since the last change to any form. */
    Optional<Design> findByKey(String key) {
        long now = generation.get();
        Cached cached = byKey.get(key);
        if (cached != null && cached.generation() == now) {
            return Optional.of(cached.design());
        }
        Optional<Design> read = read(key);
        read.ifPresent(design -> byKey.put(key, new Cached(now, design)));
        return read;
    }

    /** Forgets every form held in memory: one changed here or on another instance ({@link Forms#changed}). */
    @EventListener
    void forget(ConfigurationChanged changed) {
        if (changed.concerns(Forms.TOPIC)) {
            generation.incrementAndGet();
            byKey.clear();
        }
    }

    private Optional<Design> read(String key) {
        return forms.findByKey(key).map(form -> {
            var row = jdbc.sql("""
                            SELECT layout::text AS layout, honeypot, rate_limit_per_minute, progressive
                              FROM form WHERE id = :id""")
                    .param("id", form.id())
                    .query((rs, n) -> Map.entry(
                            rs.getString("layout"),
                            new Settings(
                                    rs.getBoolean("honeypot"),
                                    (Integer) rs.getObject("rate_limit_per_minute"),
                                    rs.getBoolean("progressive"))))
                    .single();
            return new Design(form, List.copyOf(fields(form, json.readValue(row.getKey(), LAYOUT))), row.getValue());
        });
    }

    /** The layout's fields for every mapped posted name, in the layout's order; a field set by the API only is added. */
    private static List<Field> fields(Form form, List<Map<String, String>> layout) {
        List<Field> fields = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Map<String, String> f : layout) {
            String name = f.get("name");
            String target = form.fieldMapping().get(name);
            if (target != null && seen.add(name)) {
                fields.add(new Field(
                        name,
                        f.getOrDefault("label", name),
                        target,
                        f.getOrDefault("type", "text"),
                        form.requiredFields().contains(target),
                        f.getOrDefault("message", "")));
            }
        }
        form.fieldMapping().forEach((name, target) -> {
            if (seen.add(name)) {
                fields.add(new Field(
                        name,
                        name,
                        target,
                        target.equals("email") ? "email" : "text",
                        form.requiredFields().contains(target),
                        ""));
            }
        });
        return fields;
    }

    /**
     * Creates ({@code id} null) or changes a form. {@code raw} is the configuration without its mapping; the fields
     * give the mapping, the required fields and the layout. Errors name the field rows as {@code fields[i]}.
     */
    @Transactional
    Form save(
            Long id,
            Map<String, Object> raw,
            List<Field> fields,
            Settings settings,
            Function<Map<String, Object>, FormValues> validate) {
        List<FieldError> errors = new ArrayList<>();
        Integer limit = settings.rateLimitPerMinute();
        if (limit != null && (limit < 1 || limit > Settings.MAX_RATE_LIMIT)) {
            errors.add(new FieldError("rateLimitPerMinute", RATE_LIMIT_MESSAGE));
        }
        Map<String, String> mapping = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        List<Map<String, String>> layout = new ArrayList<>();
        for (int i = 0; i < fields.size(); i++) {
            Field f = fields.get(i);
            String where = "fields[" + i + "]";
            if (mapping.containsKey(f.name())) {
                errors.add(new FieldError(where, "the posted name " + f.name() + " is used twice"));
            }
            if (f.label().length() > 200) {
                errors.add(new FieldError(where, "the label must be at most 200 characters"));
            }
            if (!TYPES.contains(f.type())) {
                errors.add(new FieldError(where, "the type must be one of " + TYPES));
            }
            if (f.message().length() > 300) {
                errors.add(new FieldError(where, "the message must be at most 300 characters"));
            }
            mapping.put(f.name(), f.target());
            if (f.required() && !required.contains(f.target())) {
                required.add(f.target());
            }
            layout.add(Map.of("name", f.name(), "label", f.label(), "type", f.type(), "message", f.message()));
        }
        Map<String, Object> all = new LinkedHashMap<>(raw);
        all.put("fieldMapping", mapping);
        all.put("requiredFields", required);
        FormValues values;
        try {
            values = validate.apply(all);
        } catch (InvalidInputException e) {
            errors.addAll(rowErrors(e.errors(), fields));
            throw new InvalidInputException(errors);
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        Form form = id == null ? forms.create(values) : forms.update(id, values);
        jdbc.sql("""
                        UPDATE form SET layout = CAST(:layout AS jsonb), honeypot = :honeypot,
                                        rate_limit_per_minute = :limit, progressive = :progressive
                         WHERE id = :id""")
                .param("layout", json.writeValueAsString(layout))
                .param("honeypot", settings.honeypot())
                .param("limit", limit)
                .param("progressive", settings.progressive())
                .param("id", form.id())
                .update();
        return form;
    }

    /** The configuration's errors on the mapping named by the field row they concern. */
    private static List<FieldError> rowErrors(List<FieldError> errors, List<Field> fields) {
        List<FieldError> named = new ArrayList<>();
        for (FieldError e : errors) {
            String field = e.field();
            if (field.startsWith("fieldMapping.")) {
                String posted = field.substring("fieldMapping.".length());
                field = "fields[" + indexOf(fields, f -> f.name().equals(posted)) + "]";
            } else if (field.startsWith("requiredFields[")) {
                field = "fields";
            } else if (field.equals("fieldMapping")) {
                field = "fields";
            } else if (field.startsWith("completionActions")) {
                field = "completionActions";
            }
            named.add(new FieldError(
                    field.equals("fields[-1]") ? "fields" : field,
                    e.field().startsWith("completionActions")
                            ? e.field().replaceFirst("^completionActions", "action") + ": " + e.message()
                            : e.message()));
        }
        return named;
    }

    private static int indexOf(List<Field> fields, java.util.function.Predicate<Field> test) {
        for (int i = 0; i < fields.size(); i++) {
            if (test.test(fields.get(i))) {
                return i;
            }
        }
        return -1;
    }
}

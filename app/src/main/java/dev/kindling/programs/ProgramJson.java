package dev.kindling.programs;

import dev.kindling.automation.ActionJson;
import dev.kindling.conditions.ConditionJson;
import dev.kindling.engine.automation.Action;
import dev.kindling.engine.condition.Condition;
import dev.kindling.engine.program.ProgramDefinition;
import dev.kindling.engine.program.ReEntry;
import dev.kindling.engine.program.Step;
import dev.kindling.engine.program.TriggerEvent;
import dev.kindling.engine.time.BusinessHours;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InputDates;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.prospects.CustomField;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A program definition as JSON, the shape of the API and of {@code program_version.definition}: name, start, steps
 * (each {@code {"id", "type": ACTION|TRIGGER|RULE|WAIT|END, ...}}), recipient and suppression list ids, re-entry
 * and business hours. Reading reports every structural problem with its JSON path at once; the graph and the
 * settings are then the engine's {@code ProgramValidator}'s to judge.
 */
final class ProgramJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final JsonMapper PLAIN = JsonMapper.builder().build();

    /**
     * How a step's action is read: by the action codec, checked against what exists now (a definition being
     * written, {@link ActionJson#stepAction}), or as stored ({@link ActionJson#storedAction}).
     */
    interface Actions {
        /** The action {@code json} describes, or null with its problems (named under {@code at}) in {@code errors}. */
        Action read(JsonNode json, String at, List<FieldError> errors);

        /** Actions as stored: validated when they were written. */
        Actions STORED = (json, at, errors) -> ActionJson.storedAction(json);
    }

    private final Map<String, CustomField> customFields;
    private final Actions actions;
    private final List<FieldError> errors = new ArrayList<>();

    private ProgramJson(Map<String, CustomField> customFields, Actions actions) {
        this.customFields = customFields;
        this.actions = actions;
    }

    /** The definition {@code json} describes, at {@code programId} and {@code version}; 400 listing every problem. */
    static ProgramDefinition read(
            JsonNode json, long programId, int version, Map<String, CustomField> customFields, Actions actions) {
        ProgramJson reader = new ProgramJson(customFields, actions);
        ProgramDefinition d = reader.program(json, programId, version);
        if (!reader.errors.isEmpty()) {
            throw new InvalidInputException(reader.errors);
        }
        return d;
    }

    /** One step as {@code json} describes it, its problems named under {@code at}; 400 listing every problem. */
    static Step readStep(JsonNode json, String at, Map<String, CustomField> customFields, Actions actions) {
        ProgramJson reader = new ProgramJson(customFields, actions);
        Step step = reader.step(json, at);
        if (!reader.errors.isEmpty()) {
            throw new InvalidInputException(reader.errors);
        }
        return step;
    }

    private ProgramDefinition program(JsonNode json, long programId, int version) {
        if (json == null || !json.isObject()) {
            errors.add(new FieldError("program", "must be a JSON object"));
            return null;
        }
        String name = text(json, "name", "name", true);
        String start = text(json, "start", "start", false);
        ProgramDefinition.Builder b = ProgramDefinition.builder(programId, name, start);
        JsonNode steps = json.get("steps");
        if (steps == null || !steps.isArray()) {
            errors.add(new FieldError("steps", "must be a list of steps"));
        } else {
            for (int i = 0; i < steps.size(); i++) {
                Step step = step(steps.get(i), "steps[" + i + "]");
                if (step != null) {
                    b.step(step);
                }
            }
        }
        b.recipients(ids(json, "recipientListIds"));
        b.suppressions(ids(json, "suppressionListIds"));
        JsonNode reEntry = json.get("reEntry");
        if (reEntry != null && !reEntry.isNull()) {
            try {
                b.reEntry(ReEntry.valueOf(reEntry.asString()));
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("reEntry", "must be NEVER or AFTER_COMPLETION"));
            }
        }
        JsonNode hours = json.get("businessHours");
        if (hours != null && !hours.isNull()) {
            b.businessHours(hours(hours));
        }
        ProgramDefinition d = b.build();
        // the engine's builder starts at version 1; revising copies everything and counts up
        for (int v = 1; v < version; v++) {
            d = d.revise().build();
        }
        return d;
    }

    private Long[] ids(JsonNode json, String field) {
        JsonNode node = json.get(field);
        List<Long> ids = new ArrayList<>();
        if (node == null || node.isNull()) {
            return new Long[0];
        }
        if (!node.isArray()) {
            errors.add(new FieldError(field, "must be a list of list ids"));
            return new Long[0];
        }
        for (int i = 0; i < node.size(); i++) {
            if (node.get(i).isIntegralNumber()) {
                ids.add(node.get(i).asLong());
            } else {
                errors.add(new FieldError(field + "[" + i + "]", "must be a list id"));
            }
        }
        return ids.toArray(Long[]::new);
    }

    private BusinessHours hours(JsonNode node) {
        try {
            Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
            for (JsonNode d : node.path("days")) {
                days.add(DayOfWeek.valueOf(d.asString().toUpperCase(Locale.ROOT)));
            }
            return new BusinessHours(
                    days,
                    LocalTime.parse(node.path("opens").asString()),
                    LocalTime.parse(node.path("closes").asString()),
                    ZoneId.of(node.path("zone").asString()));
        } catch (RuntimeException e) {
            errors.add(new FieldError("businessHours", "needs days (MONDAY…), opens and closes (HH:mm) and a zone"));
            return null;
        }
    }

    private Step step(JsonNode s, String at) {
        if (s == null || !s.isObject()) {
            errors.add(new FieldError(at, "must be an object"));
            return null;
        }
        String id = text(s, "id", at + ".id", true);
        String type = text(s, "type", at + ".type", true);
        if (type == null) {
            return null;
        }
        return switch (type.toUpperCase(Locale.ROOT)) {
            case "ACTION" -> {
                JsonNode a = s.get("action");
                Action action = a == null || !a.isObject()
                        ? missingAction(at + ".action")
                        : actions.read(a, at + ".action", errors);
                yield action == null ? null : new Step.ActionStep(id, action, text(s, "next", at + ".next", false));
            }
            case "TRIGGER" -> {
                TriggerEvent event = event(s.get("event"), at + ".event");
                Step.Timing timing;
                try {
                    timing = Step.Timing.valueOf(
                            s.path("timing").asString("UP_TO").toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    errors.add(new FieldError(at + ".timing", "must be UP_TO or EXACTLY"));
                    yield null;
                }
                Integer days = integer(s, "days", at + ".days");
                yield event == null || days == null
                        ? null
                        : new Step.TriggerStep(
                                id,
                                event,
                                timing,
                                days,
                                text(s, "yes", at + ".yes", false),
                                text(s, "no", at + ".no", false));
            }
            case "RULE" -> {
                JsonNode c = s.get("condition");
                if (c == null || c.isNull()) {
                    errors.add(new FieldError(at + ".condition", "is required"));
                    yield null;
                }
                try {
                    Condition condition = ConditionJson.parse(c, customFields, at + ".condition.");
                    yield new Step.RuleStep(
                            id, condition, text(s, "yes", at + ".yes", false), text(s, "no", at + ".no", false));
                } catch (InvalidInputException e) {
                    errors.addAll(e.errors());
                    yield null;
                }
            }
            case "WAIT" -> {
                String next = text(s, "next", at + ".next", false);
                JsonNode until = s.get("until");
                if (until != null && !until.isNull()) {
                    try {
                        yield Step.WaitStep.until(id, InputDates.instant(until.asString()), next);
                    } catch (RuntimeException e) {
                        errors.add(new FieldError(at + ".until", "must be an ISO-8601 instant"));
                        yield null;
                    }
                }
                Integer days = integer(s, "days", at + ".days");
                yield days == null ? null : Step.WaitStep.days(id, days, next);
            }
            case "END" -> new Step.EndStep(id);
            default -> {
                errors.add(new FieldError(at + ".type", "must be ACTION, TRIGGER, RULE, WAIT or END"));
                yield null;
            }
        };
    }

    private Action missingAction(String at) {
        errors.add(new FieldError(at, "is required: an object with a type"));
        return null;
    }

    private TriggerEvent event(JsonNode e, String at) {
        if (e == null || !e.isObject()) {
            errors.add(new FieldError(at, "is required: an object with a type"));
            return null;
        }
        String type = text(e, "type", at + ".type", true);
        if (type == null) {
            return null;
        }
        return switch (type) {
            case "emailOpened" -> new TriggerEvent.EmailOpened(optional(e, "templateId"));
            case "emailClicked" -> new TriggerEvent.EmailClicked(optional(e, "templateId"), optional(e, "link"));
            case "formSubmitted" -> new TriggerEvent.FormSubmitted(optional(e, "form"));
            case "pageViewed" -> new TriggerEvent.PageViewed(optional(e, "urlPattern"));
            case "webinarAttended" -> new TriggerEvent.WebinarAttended(optional(e, "webinar"));
            default -> {
                errors.add(new FieldError(
                        at + ".type",
                        "must be one of emailOpened, emailClicked, formSubmitted, pageViewed, webinarAttended"));
                yield null;
            }
        };
    }

    private static String optional(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || v.asString().isBlank()
                ? null
                : v.asString().strip();
    }

    private String text(JsonNode node, String field, String at, boolean required) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull() || (v.isString() && v.asString().isBlank())) {
            if (required) {
                errors.add(new FieldError(at, "is required"));
            }
            return null;
        }
        if (!v.isString()) {
            errors.add(new FieldError(at, "must be text"));
            return null;
        }
        return v.asString().strip();
    }

    private Integer integer(JsonNode node, String field, String at) {
        JsonNode v = node.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) {
            errors.add(new FieldError(at, "must be a whole number"));
            return null;
        }
        return v.asInt();
    }

    /** The JSON of a definition (without its program id and version, which are the row's). */
    static ObjectNode write(ProgramDefinition d) {
        ObjectNode o = NODES.objectNode();
        o.put("name", d.name());
        o.put("start", d.start());
        ArrayNode recipients = o.putArray("recipientListIds");
        d.recipientListIds().forEach(recipients::add);
        ArrayNode suppressions = o.putArray("suppressionListIds");
        d.suppressionListIds().forEach(suppressions::add);
        o.put("reEntry", d.reEntry().name());
        if (d.businessHours() != null) {
            BusinessHours h = d.businessHours();
            ObjectNode hours = o.putObject("businessHours");
            ArrayNode days = hours.putArray("days");
            h.days().stream().sorted().forEach(day -> days.add(day.name()));
            hours.put("opens", h.opens().toString());
            hours.put("closes", h.closes().toString());
            hours.put("zone", h.zone().getId());
        }
        ArrayNode steps = o.putArray("steps");
        for (Step step : d.steps()) {
            steps.add(step(step));
        }
        return o;
    }

    static ObjectNode step(Step step) {
        ObjectNode s = NODES.objectNode();
        s.put("id", step.id());
        switch (step) {
            case Step.ActionStep a -> {
                s.put("type", "ACTION");
                s.set("action", action(a.action()));
                s.put("next", a.next());
            }
            case Step.TriggerStep t -> {
                s.put("type", "TRIGGER");
                s.set("event", event(t.event()));
                s.put("timing", t.timing().name());
                s.put("days", t.days());
                s.put("yes", t.yes());
                s.put("no", t.no());
            }
            case Step.RuleStep r -> {
                s.put("type", "RULE");
                s.set("condition", ConditionJson.write(r.condition()));
                s.put("yes", r.yes());
                s.put("no", r.no());
            }
            case Step.WaitStep w -> {
                s.put("type", "WAIT");
                if (w.until() != null) {
                    s.put("until", w.until().toString());
                } else {
                    s.put("days", w.days());
                }
                s.put("next", w.next());
            }
            case Step.EndStep e -> s.put("type", "END");
        }
        return s;
    }

    static JsonNode action(Action action) {
        return PLAIN.valueToTree(ActionJson.write(action));
    }

    static ObjectNode event(TriggerEvent event) {
        ObjectNode e = NODES.objectNode();
        e.put("type", event.type());
        switch (event) {
            case TriggerEvent.EmailOpened o -> e.put("templateId", o.templateId());
            case TriggerEvent.EmailClicked c -> {
                e.put("templateId", c.templateId());
                e.put("link", c.link());
            }
            case TriggerEvent.FormSubmitted f -> e.put("form", f.form());
            case TriggerEvent.PageViewed p -> e.put("urlPattern", p.urlPattern());
            case TriggerEvent.WebinarAttended w -> e.put("webinar", w.webinar());
        }
        return e;
    }
}

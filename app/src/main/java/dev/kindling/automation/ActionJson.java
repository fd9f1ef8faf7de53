package dev.kindling.automation;

import dev.kindling.engine.automation.Action;
import dev.kindling.engine.lifecycle.Lifecycle;
import dev.kindling.engine.lifecycle.LifecycleStage;
import dev.kindling.platform.outbound.OutboundPolicy;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.prospects.CustomField;
import dev.kindling.prospects.ProspectChanges;
import dev.kindling.prospects.ProspectField;
import dev.kindling.prospects.ProspectValidator;
import dev.kindling.prospects.Prospects;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The one codec of {@link Action}s: reads and writes their JSON form for rules, forms' and links' completion actions
 * and program steps alike ({@code docs/schemas/action.schema.json}), and validates every action against what exists
 * now: fields like {@link ProspectValidator} (email cannot be set), lists that exist and are static, stages a prospect
 * may be moved to, webhook URLs the {@link OutboundPolicy} allows, teams that exist, active users to notify or give
 * tasks and active sales users to assign to, programs and email templates that exist. Only a program step sends email
 * ({@code sendEmail}); rules and completion actions refuse it.
 */
@Component
public class ActionJson {

    public static final int MAX_ACTIONS = 20;
    static final int MAX_POINTS = 100_000;
    static final List<String> TYPES = List.of(
            "sendEmail",
            "adjustScore",
            "setScore",
            "setField",
            "addToList",
            "removeFromList",
            "changeStage",
            "setDoNotEmail",
            "callWebhook",
            "notifyUser",
            "assign",
            "addToProgram",
            "removeFromProgram",
            "createTask",
            "syncToCrm");
    static final int MAX_TASK_HOURS = 24 * 365;
    private static final String ACTIVE_USER = "SELECT count(*) FROM app_user WHERE id = :id AND active";
    static final int MAX_SUBJECT = 200;
    static final int MAX_MESSAGE = 5000;

    private final Prospects prospects;
    private final JdbcClient jdbc;
    private final OutboundPolicy outbound;

    ActionJson(Prospects prospects, JdbcClient jdbc, OutboundPolicy outbound) {
        this.prospects = prospects;
        this.jdbc = jdbc;
        this.outbound = outbound;
    }

    /** The actions {@code raw} (a list of objects from {@code JsonValues}) describes; 400 listing every problem. */
    public List<Action> parse(Object raw, String path) {
        List<FieldError> errors = new ArrayList<>();
        List<Action> actions = parse(raw, path, errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return actions;
    }

    /** Like {@link #parse(Object, String)}, adding problems to {@code errors} instead of throwing. */
    public List<Action> parse(Object raw, String path, List<FieldError> errors) {
        List<Action> actions = new ArrayList<>();
        if (!(raw instanceof List<?> list)) {
            errors.add(new FieldError(path, "must be a list of actions"));
            return actions;
        }
        if (list.size() > MAX_ACTIONS) {
            errors.add(new FieldError(path, "must have at most " + MAX_ACTIONS + " actions"));
            return actions;
        }
        CustomFields custom = new CustomFields();
        for (int i = 0; i < list.size(); i++) {
            Action action = action(list.get(i), path + "[" + i + "]", false, custom, errors);
            if (action != null) {
                actions.add(action);
            }
        }
        return actions;
    }

    /**
     * The action of a program step ({@code raw} a plain map from {@code JsonValues}), which may also send email;
     * problems named under {@code at} are added to {@code errors}, and then it is {@code null}.
     */
    public Action stepAction(Object raw, String at, List<FieldError> errors) {
        return action(raw, at, true, new CustomFields(), errors);
    }

    /** The custom fields, read once per call and only when a setField needs them. */
    private final class CustomFields {
        private Map<String, CustomField> fields;

        Map<String, CustomField> get() {
            if (fields == null) {
                fields = prospects.customFields();
            }
            return fields;
        }
    }

    /** One action of a rule or completion action, or with {@code step} of a program step. */
    private Action action(Object raw, String at, boolean step, CustomFields custom, List<FieldError> errors) {
        if (!(raw instanceof Map<?, ?> m) || !(m.get("type") instanceof String type)) {
            errors.add(new FieldError(
                    at, "must be an object with a type (one of " + String.join(", ", types(step)) + ")"));
            return null;
        }
        int before = errors.size();
        Action action = switch (type) {
            case "sendEmail" -> {
                only(m, Set.of("templateId"), at, errors);
                yield step ? sendEmail(m.get("templateId"), at, errors) : unknown(at, step, errors);
            }
            case "adjustScore" -> {
                only(m, Set.of("points"), at, errors);
                Integer p = integer(m.get("points"), at + ".points", -MAX_POINTS, MAX_POINTS, errors);
                if (p != null && p == 0) {
                    errors.add(new FieldError(at + ".points", "must not be 0"));
                }
                yield p == null ? null : new Action.AdjustScore(p);
            }
            case "setScore" -> {
                only(m, Set.of("score"), at, errors);
                Integer s = integer(m.get("score"), at + ".score", 0, MAX_POINTS, errors);
                yield s == null ? null : new Action.SetScore(s);
            }
            case "setField" -> {
                only(m, Set.of("field", "value"), at, errors);
                yield setField(m, at, custom.get(), errors);
            }
            case "addToList", "removeFromList" -> {
                only(m, Set.of("listId"), at, errors);
                Long id = m.get("listId") instanceof Long l ? l : null;
                if (id == null) {
                    errors.add(new FieldError(at + ".listId", "must be a list id"));
                    yield null;
                }
                String kind = jdbc.sql("SELECT kind FROM list WHERE id = :id")
                        .param("id", id)
                        .query(String.class)
                        .optional()
                        .orElse(null);
                if (kind == null) {
                    errors.add(new FieldError(at + ".listId", "names no list (it may have been deleted)"));
                    yield null;
                }
                if (!"STATIC".equals(kind)) {
                    errors.add(
                            new FieldError(
                                    at + ".listId",
                                    "names a dynamic list: its members follow its condition, actions change static lists only"));
                    yield null;
                }
                yield type.equals("addToList") ? new Action.AddToList(id) : new Action.RemoveFromList(id);
            }
            case "addToProgram", "removeFromProgram" -> {
                only(m, Set.of("programId"), at, errors);
                Object program = m.get("programId");
                if (!(program instanceof Long p) || !exists("SELECT count(*) FROM program WHERE id = :id", p)) {
                    errors.add(new FieldError(at + ".programId", "names no program"));
                    yield null;
                }
                yield type.equals("addToProgram") ? new Action.AddToProgram(p) : new Action.RemoveFromProgram(p);
            }
            case "createTask" -> {
                only(m, Set.of("subject", "dueInHours", "userId"), at, errors);
                yield createTask(m, at, errors);
            }
            case "syncToCrm" -> {
                only(m, Set.of(), at, errors);
                yield new Action.SyncToCrm();
            }
            case "changeStage" -> {
                only(m, Set.of("stage"), at, errors);
                LifecycleStage stage = m.get("stage") instanceof String s
                                && Arrays.stream(LifecycleStage.values())
                                        .anyMatch(v -> v.name().equals(s))
                        ? LifecycleStage.valueOf(s)
                        : null;
                if (stage == null || !Lifecycle.MANUAL_TARGETS.contains(stage)) {
                    errors.add(new FieldError(
                            at + ".stage",
                            "must be one of "
                                    + Lifecycle.MANUAL_TARGETS.stream()
                                            .map(Enum::name)
                                            .sorted()
                                            .toList()));
                    yield null;
                }
                yield new Action.ChangeStage(stage);
            }
            case "setDoNotEmail" -> {
                only(m, Set.of("value"), at, errors);
                Object v = m.containsKey("value") ? m.get("value") : Boolean.TRUE;
                if (!(v instanceof Boolean b)) {
                    errors.add(new FieldError(at + ".value", "must be true or false"));
                    yield null;
                }
                yield new Action.SetDoNotEmail(b);
            }
            case "callWebhook" -> {
                only(m, Set.of("url"), at, errors);
                URI url = outbound.webhookUrl(m.get("url"), at + ".url", errors);
                yield url == null ? null : new Action.CallWebhook(url.toString());
            }
            case "notifyUser" -> {
                only(m, Set.of("userId", "subject", "message"), at, errors);
                yield notifyUser(m, at, errors);
            }
            case "assign" -> {
                only(m, Set.of("teamId", "userId", "territoryRules", "forced"), at, errors);
                yield assign(m, at, errors);
            }
            default -> unknown(at, step, errors);
        };
        return action != null && errors.size() == before ? action : null;
    }

    /** The kinds a rule or completion action may take (all but sendEmail), or a program step (all). */
    private static List<String> types(boolean step) {
        return step ? TYPES : TYPES.subList(1, TYPES.size());
    }

    private static Action unknown(String at, boolean step, List<FieldError> errors) {
        errors.add(new FieldError(
                at + ".type",
                "must be one of " + String.join(", ", types(step))
                        + (step ? "" : " (only a program step sends email)")));
        return null;
    }

    /** A template that exists, or a placeholder slot of a ready-made program ({@code fill:welcome}). */
    private Action sendEmail(Object template, String at, List<FieldError> errors) {
        String id = template instanceof Long l ? String.valueOf(l) : template instanceof String t ? t.strip() : null;
        if (id == null || id.isEmpty()) {
            errors.add(new FieldError(at + ".templateId", "is required: the email template to send"));
            return null;
        }
        Action.SendEmail send = new Action.SendEmail(id);
        if (!send.isPlaceholder()) {
            if (!id.matches("\\d{1,18}")
                    || !exists("SELECT count(*) FROM email_template WHERE id = :id", Long.parseLong(id))) {
                errors.add(new FieldError(at + ".templateId", "names no email template"));
                return null;
            }
        }
        return send;
    }

    private static Action setField(Map<?, ?> m, String at, Map<String, CustomField> custom, List<FieldError> errors) {
        if (!(m.get("field") instanceof String field) || field.isBlank()) {
            errors.add(new FieldError(at + ".field", "is required"));
            return null;
        }
        if (!m.containsKey("value")) {
            errors.add(new FieldError(at + ".value", "is required (null clears the field)"));
            return null;
        }
        Object value = m.get("value");
        if (field.startsWith("custom.")) {
            String name = field.substring("custom.".length());
            if (!custom.containsKey(name)) {
                errors.add(new FieldError(at + ".field", "is not a defined custom field"));
                return null;
            }
            Map<String, Object> inner = new LinkedHashMap<>();
            inner.put(name, value);
            ProspectValidator.Result r = ProspectValidator.validate(Map.of("custom", inner), custom, false, at + ".");
            if (!r.valid()) {
                r.errors().forEach(e -> errors.add(new FieldError(at + ".value", e.message())));
                return null;
            }
            return new Action.SetField(field, r.changes().custom().get(name));
        }
        ProspectField standard = ProspectField.byJson(field);
        if (standard == null || standard == ProspectField.EMAIL) {
            errors.add(new FieldError(at + ".field", "must be a standard field other than email, or custom.<name>"));
            return null;
        }
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put(field, value);
        ProspectValidator.Result r = ProspectValidator.validate(raw, custom, false, at + ".");
        if (!r.valid()) {
            r.errors().forEach(e -> errors.add(new FieldError(at + ".value", e.message())));
            return null;
        }
        ProspectChanges changes = r.changes();
        return new Action.SetField(field, changes.fields().get(standard));
    }

    private Action notifyUser(Map<?, ?> m, String at, List<FieldError> errors) {
        Object user = m.get("userId");
        Long userId = null;
        if (user == null || "owner".equals(user)) {
            userId = null;
        } else if (user instanceof Long id) {
            if (!exists(ACTIVE_USER, id)) {
                errors.add(new FieldError(at + ".userId", "names no active user"));
                return null;
            }
            userId = id;
        } else {
            errors.add(new FieldError(at + ".userId", "must be a user id or \"owner\" (the prospect's owner)"));
            return null;
        }
        // without a subject the notice is titled after its source (Program "Welcome")
        String subject = m.get("subject") == null ? null : text(m.get("subject"), at + ".subject", MAX_SUBJECT, errors);
        String message = text(m.get("message"), at + ".message", MAX_MESSAGE, errors);
        if ((subject == null && m.get("subject") != null) || message == null) {
            return null;
        }
        int before = errors.size();
        for (String name : NotifyUserExecutor.mergeFieldsIn((subject == null ? "" : subject) + "\n" + message)) {
            if (!NotifyUserExecutor.MERGE_FIELDS.containsKey(name)) {
                errors.add(new FieldError(
                        at + ".message",
                        "{{" + name + "}} is not a merge field (one of "
                                + String.join(", ", NotifyUserExecutor.MERGE_FIELDS.keySet()) + ")"));
            }
        }
        return errors.size() == before ? new Action.NotifyUser(userId, subject, message) : null;
    }

    /** A subject, hours 1 … a year (24 when left out) and a user id or "owner" (the default). */
    private Action createTask(Map<?, ?> m, String at, List<FieldError> errors) {
        String subject = text(m.get("subject"), at + ".subject", MAX_SUBJECT, errors);
        Integer hours = m.containsKey("dueInHours")
                ? integer(m.get("dueInHours"), at + ".dueInHours", 1, MAX_TASK_HOURS, errors)
                : Integer.valueOf(24);
        Object user = m.get("userId");
        Long userId = null;
        if (user != null && !"owner".equals(user)) {
            if (!(user instanceof Long id) || !exists(ACTIVE_USER, id)) {
                errors.add(new FieldError(
                        at + ".userId", "must be an active user's id or \"owner\" (the prospect's owner)"));
                return null;
            }
            userId = (Long) user;
        }
        return subject == null || hours == null ? null : new Action.CreateTask(subject, hours, userId);
    }

    private static String text(Object v, String at, int max, List<FieldError> errors) {
        if (!(v instanceof String s) || s.isBlank() || s.length() > max) {
            errors.add(new FieldError(at, "is required, at most " + max + " characters"));
            return null;
        }
        return s.strip();
    }

    /**
     * Exactly one of an existing team, an active INSIDE_SALES / SALES user or {@code "territoryRules": true};
     * {@code forced} false unless given.
     */
    private Action assign(Map<?, ?> m, String at, List<FieldError> errors) {
        Object team = m.get("teamId");
        Object user = m.get("userId");
        Object territories = m.get("territoryRules");
        Object forced = m.containsKey("forced") ? m.get("forced") : Boolean.FALSE;
        if (!(forced instanceof Boolean f)) {
            errors.add(new FieldError(at + ".forced", "must be true or false"));
            return null;
        }
        if (territories != null && !Boolean.TRUE.equals(territories)) {
            errors.add(new FieldError(at + ".territoryRules", "must be true (or left out)"));
            return null;
        }
        if ((team == null ? 0 : 1) + (user == null ? 0 : 1) + (territories == null ? 0 : 1) != 1) {
            errors.add(new FieldError(
                    at + ".teamId",
                    "give exactly one of teamId (round-robin in the team), userId or territoryRules: true"));
            return null;
        }
        if (territories != null) {
            return new Action.Assign(Action.AssignTo.TERRITORY_RULES, null, f);
        }
        if (team != null) {
            if (!(team instanceof Long t) || !exists("SELECT count(*) FROM team WHERE id = :id", t)) {
                errors.add(new FieldError(at + ".teamId", "names no team"));
                return null;
            }
            return new Action.Assign(Action.AssignTo.TEAM, t, f);
        }
        if (!(user instanceof Long u) || !exists(ACTIVE_USER + " AND role IN ('INSIDE_SALES', 'SALES')", u)) {
            errors.add(new FieldError(at + ".userId", "must name an active INSIDE_SALES or SALES user"));
            return null;
        }
        return new Action.Assign(Action.AssignTo.USER, (Long) user, f);
    }

    /** Whether {@code countSql} (a count with the parameter {@code :id}) finds a row for this id. */
    private boolean exists(String countSql, long id) {
        return jdbc.sql(countSql).param("id", id).query(Long.class).single() > 0;
    }

    private static void only(Map<?, ?> m, Set<String> allowed, String at, List<FieldError> errors) {
        for (Object key : m.keySet()) {
            if (!"type".equals(key) && !allowed.contains(String.valueOf(key))) {
                errors.add(new FieldError(at + "." + key, "is not a parameter of this action"));
            }
        }
    }

    private static Integer integer(Object v, String at, int min, int max, List<FieldError> errors) {
        if (!(v instanceof Long l) || l < min || l > max) {
            errors.add(new FieldError(at, "must be a whole number from " + min + " to " + max));
            return null;
        }
        return (int) (long) l;
    }

    /** The JSON form (as plain maps and lists) of these actions. */
    public static List<Map<String, Object>> write(List<Action> actions) {
        return actions.stream().map(ActionJson::write).toList();
    }

    /** The JSON form (a plain map) of one action. */
    public static Map<String, Object> write(Action a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", a.type());
        switch (a) {
            case Action.AdjustScore s -> m.put("points", s.points());
            case Action.SetScore s -> m.put("score", s.score());
            case Action.SetField f -> {
                m.put("field", f.field());
                m.put("value", f.value() instanceof java.time.LocalDate d ? d.toString() : f.value());
            }
            case Action.AddToList l -> m.put("listId", l.listId());
            case Action.AddToProgram p -> m.put("programId", p.programId());
            case Action.RemoveFromProgram p -> m.put("programId", p.programId());
            case Action.CreateTask t -> {
                m.put("subject", t.subject());
                m.put("dueInHours", t.dueInHours());
                m.put("userId", t.userId() == null ? "owner" : t.userId());
            }
            case Action.RemoveFromList l -> m.put("listId", l.listId());
            case Action.ChangeStage c -> m.put("stage", c.stage().name());
            case Action.SetDoNotEmail d -> m.put("value", d.value());
            case Action.CallWebhook w -> m.put("url", w.url());
            case Action.NotifyUser n -> {
                m.put("userId", n.owner() ? "owner" : n.userId());
                if (n.subject() != null) {
                    m.put("subject", n.subject());
                }
                m.put("message", n.message());
            }
            case Action.Assign assign -> {
                switch (assign.to()) {
                    case TEAM -> m.put("teamId", assign.id());
                    case USER -> m.put("userId", assign.id());
                    case TERRITORY_RULES -> m.put("territoryRules", true);
                }
                m.put("forced", assign.forced());
            }
            case Action.SendEmail send -> m.put("templateId", send.templateId());
            case Action.SyncToCrm s -> {}
        }
        return m;
    }

    /** A short human summary ("adjustScore +10, addToList 4"), kept with each match. */
    public static String summary(List<Action> actions) {
        List<String> parts = new ArrayList<>();
        for (Map<String, Object> m : write(actions)) {
            Map<String, Object> rest = new LinkedHashMap<>(m);
            rest.remove("type");
            rest.remove("message");
            parts.add(m.get("type")
                    + (rest.isEmpty()
                            ? ""
                            : " "
                                    + rest.values().stream()
                                            .map(String::valueOf)
                                            .reduce((x, y) -> x + "=" + y)
                                            .orElse("")));
        }
        return String.join(", ", parts);
    }

    /** Actions as stored (validated when written): read without checking what exists now. */
    public static List<Action> stored(tools.jackson.databind.JsonNode node) {
        List<Action> actions = new ArrayList<>();
        for (tools.jackson.databind.JsonNode a : node) {
            actions.add(storedAction(a));
        }
        return actions;
    }

    /** One action as stored (validated when written), read without checking what exists now. */
    public static Action storedAction(tools.jackson.databind.JsonNode a) {
        return switch (a.get("type").asString()) {
            case "sendEmail" -> new Action.SendEmail(a.get("templateId").asString());
            case "adjustScore" -> new Action.AdjustScore(a.get("points").asInt());
            case "setScore" -> new Action.SetScore(a.get("score").asInt());
            case "setField" ->
                new Action.SetField(
                        a.get("field").asString(), dev.kindling.platform.web.JsonValues.value(a.get("value")));
            case "addToList" -> new Action.AddToList(a.get("listId").asLong());
            case "addToProgram" -> new Action.AddToProgram(a.get("programId").asLong());
            case "removeFromProgram" ->
                new Action.RemoveFromProgram(a.get("programId").asLong());
            case "createTask" ->
                new Action.CreateTask(
                        a.get("subject").asString(),
                        a.path("dueInHours").asInt(24),
                        a.path("userId").isNumber() ? a.get("userId").asLong() : null);
            case "removeFromList" -> new Action.RemoveFromList(a.get("listId").asLong());
            case "syncToCrm" -> new Action.SyncToCrm();
            case "changeStage" ->
                new Action.ChangeStage(LifecycleStage.valueOf(a.get("stage").asString()));
            case "setDoNotEmail" -> new Action.SetDoNotEmail(a.get("value").asBoolean());
            case "callWebhook" -> new Action.CallWebhook(a.get("url").asString());
            case "notifyUser" ->
                new Action.NotifyUser(
                        a.path("userId").isNumber() ? a.get("userId").asLong() : null,
                        a.hasNonNull("subject") ? a.get("subject").asString() : null,
                        a.get("message").asString());
            case "assign" ->
                new Action.Assign(
                        a.hasNonNull("teamId")
                                ? Action.AssignTo.TEAM
                                : a.hasNonNull("userId") ? Action.AssignTo.USER : Action.AssignTo.TERRITORY_RULES,
                        a.hasNonNull("teamId")
                                ? Long.valueOf(a.get("teamId").asLong())
                                : a.hasNonNull("userId")
                                        ? Long.valueOf(a.get("userId").asLong())
                                        : null,
                        a.has("forced") && a.get("forced").asBoolean());
            default -> throw new IllegalStateException("stored action of unknown type " + a.get("type"));
        };
    }
}

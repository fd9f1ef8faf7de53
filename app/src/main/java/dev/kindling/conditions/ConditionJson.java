package dev.kindling.conditions;

import dev.kindling.engine.activity.ActivityType;
import dev.kindling.engine.condition.Condition;
import dev.kindling.engine.condition.Condition.ActivityCondition;
import dev.kindling.engine.condition.Condition.ActivityFilter;
import dev.kindling.engine.condition.Condition.All;
import dev.kindling.engine.condition.Condition.Any;
import dev.kindling.engine.condition.Condition.DaysSinceLastActivity;
import dev.kindling.engine.condition.Condition.FieldCondition;
import dev.kindling.engine.condition.Condition.GradeCondition;
import dev.kindling.engine.condition.Condition.ListMembership;
import dev.kindling.engine.condition.Condition.Not;
import dev.kindling.engine.condition.Condition.OpportunityCondition;
import dev.kindling.engine.condition.Condition.OwnerCondition;
import dev.kindling.engine.condition.Condition.ProgramState;
import dev.kindling.engine.condition.Condition.QuadrantCondition;
import dev.kindling.engine.condition.Condition.ScoreCondition;
import dev.kindling.engine.condition.Condition.StageCondition;
import dev.kindling.engine.condition.FieldType;
import dev.kindling.engine.condition.GradeOrder;
import dev.kindling.engine.condition.Operator;
import dev.kindling.engine.condition.ProspectFacts.LostReason;
import dev.kindling.engine.condition.ProspectFacts.OpportunityStatus;
import dev.kindling.engine.condition.ProspectFacts.OpportunityType;
import dev.kindling.engine.grading.Quadrant;
import dev.kindling.engine.lifecycle.LifecycleStage;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InputDates;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.prospects.CustomField;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON form of conditions ({@code docs/conditions.md}): parses and validates it into the
 * engine's {@link Condition}, reporting every problem with its path (e.g.
 * {@code all[2].activity.withinDays}), and writes a condition back in the same form.
 */
public final class ConditionJson {

    public static final int MAX_DEPTH = 10;
    public static final int MAX_LEAVES = 200;
    public static final int MAX_STRING = 500;
    public static final int MAX_VALUES = 1000;
    public static final long MAX_DAYS = 36_500;
    private static final long MAX_NUMBER = 1_000_000_000L;

    private static final Set<Operator> NUMERIC = EnumSet.of(
            Operator.EQ, Operator.NE, Operator.GT, Operator.GTE, Operator.LT, Operator.LTE, Operator.BETWEEN);
    private static final Set<String> FIELD_KEYS = Set.of("field", "op", "value");
    private static final Set<String> ACTIVITY_KEYS =
            Set.of("type", "customName", "urlContains", "formName", "emailId", "campaignId", "atLeast", "withinDays");
    private static final Set<String> OPPORTUNITY_KEYS =
            Set.of("status", "closedWithinDays", "minAmount", "type", "lostReason");

    private final Map<String, CustomField> customFields;
    private final List<FieldError> errors = new ArrayList<>();
    private int leaves;

    private ConditionJson(Map<String, CustomField> customFields) {
        this.customFields = customFields;
    }

    /**
     * The condition {@code json} describes.
     *
     * @param customFields the defined custom fields by name ({@code custom.<name>} in conditions)
     * @param prefix       prepended to every error path (e.g. {@code "condition."}), may be empty
     * @throws InvalidInputException listing every problem when the JSON is not a valid condition
     */
    public static Condition parse(JsonNode json, Map<String, CustomField> customFields, String prefix) {
        ConditionJson parser = new ConditionJson(customFields);
        Condition condition = parser.condition(json, prefix, 1);
        if (parser.leaves > MAX_LEAVES) {
            parser.errors.add(
                    0,
                    new FieldError(
                            prefix.isEmpty() ? "condition" : strip(prefix),
                            "has more than " + MAX_LEAVES + " conditions"));
        }
        if (!parser.errors.isEmpty()) {
            throw new InvalidInputException(parser.errors);
        }
        return condition;
    }

    private static String strip(String prefix) {
        return prefix.endsWith(".") ? prefix.substring(0, prefix.length() - 1) : prefix;
    }

    private Condition condition(JsonNode node, String path, int depth) {
        String at = strip(path).isEmpty() ? "condition" : strip(path);
        if (depth > MAX_DEPTH) {
            return fail(at, "is nested deeper than " + MAX_DEPTH + " levels");
        }
        if (node == null || !node.isObject()) {
            return fail(at, "must be a JSON object");
        }
        if (node.has("field")) {
            leaves++;
            return field(node, path);
        }
        if (node.size() != 1) {
            return fail(
                    at,
                    "must have exactly one key: all, any, not, field, score, grade, stage, quadrant, owner, "
                            + "list, activity, noActivity, daysSinceLastActivity, opportunity or program");
        }
        Map.Entry<String, JsonNode> entry = node.properties().iterator().next();
        String key = entry.getKey();
        JsonNode value = entry.getValue();
        String here = path + key;
        if (!key.equals("all") && !key.equals("any") && !key.equals("not")) {
            leaves++;
        }
        return switch (key) {
            case "all", "any" -> {
                if (!value.isArray()) {
                    yield fail(here, "must be an array of conditions");
                }
                if (value.size() > MAX_LEAVES) {
                    yield fail(here, "has more than " + MAX_LEAVES + " conditions");
                }
                List<Condition> parts = new ArrayList<>();
                for (int i = 0; i < value.size(); i++) {
                    parts.add(condition(value.get(i), here + "[" + i + "].", depth + 1));
                }
                if (parts.contains(null)) {
                    yield null;
                }
                yield key.equals("all") ? new All(parts) : new Any(parts);
            }
            case "not" -> {
                Condition inner = condition(value, here + ".", depth + 1);
                yield inner == null ? null : new Not(inner);
            }
            case "score" -> numericComparison(value, here, -MAX_NUMBER, MAX_NUMBER, ScoreCondition::new);
            case "daysSinceLastActivity" -> numericComparison(value, here, 0, MAX_DAYS, DaysSinceLastActivity::new);
            case "grade" -> grade(value, here);
            case "stage" -> {
                Membership<LifecycleStage> m = membership(value, here, LifecycleStage.class);
                yield m == null ? null : new StageCondition(m.in(), m.values());
            }
            case "quadrant" -> {
                Membership<Quadrant> m = membership(value, here, Quadrant.class);
                yield m == null ? null : new QuadrantCondition(m.in(), m.values());
            }
            case "owner" -> owner(value, here);
            case "list" -> {
                Long id = single(value, here, "memberOf") instanceof JsonNode n ? id(n, here + ".memberOf") : null;
                yield id == null ? null : new ListMembership(id);
            }
            case "activity", "noActivity" -> activity(value, here, key.equals("activity"));
            case "opportunity" -> opportunity(value, here);
            case "program" -> program(value, here);
            default -> fail(here, "is not a kind of condition");
        };
    }

    private Condition fail(String path, String message) {
        errors.add(new FieldError(path, message));
        return null;
    }

    private Condition field(JsonNode node, String path) {
        for (String key : node.propertyNames()) {
            if (!FIELD_KEYS.contains(key)) {
                fail(path + key, "is not a key of a field condition (field, op, value)");
            }
        }
        JsonNode fieldNode = node.get("field");
        if (!fieldNode.isString()) {
            return fail(path + "field", "must be a field name");
        }
        String name = fieldNode.asString();
        FieldType type = ConditionFields.typeOf(name, customFields);
        if (type == null) {
            return fail(path + "field", "is not a field conditions can use");
        }
        JsonNode opNode = node.get("op");
        Operator op = opNode != null && opNode.isString() ? Operator.byJson(opNode.asString()) : null;
        if (op == null) {
            return fail(path + "op", "must be an operator");
        }
        if (!type.operators().contains(op)) {
            return fail(
                    path + "op", op.json() + " does not apply to " + type.name().toLowerCase() + " field " + name);
        }
        JsonNode value = node.get("value");
        String where = path + "value";
        List<JsonNode> items = arity(op, value, where);
        if (items == null) {
            return null;
        }
        List<Object> operands = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String itemPath = items.size() > 1 || op.arity() == Operator.Arity.MANY ? where + "[" + i + "]" : where;
            Object operand = operand(type, op, items.get(i), itemPath);
            if (operand == null) {
                return null;
            }
            operands.add(operand);
        }
        if (op == Operator.BETWEEN && order(operands.get(0), operands.get(1)) > 0) {
            return fail(where, "must be [low, high] with low ≤ high");
        }
        return new FieldCondition(name, type, op, operands);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int order(Object a, Object b) {
        return ((Comparable) a).compareTo(b);
    }

    /** The operand nodes {@code value} holds for {@code op}, or null after reporting a mismatch. */
    private List<JsonNode> arity(Operator op, JsonNode value, String where) {
        switch (op.arity()) {
            case NONE -> {
                if (value != null && !(value.isBoolean() && value.asBoolean())) {
                    fail(where, "must be absent for " + op.json());
                    return null;
                }
                return List.of();
            }
            case ONE -> {
                if (value == null || value.isNull() || value.isArray() || value.isObject()) {
                    fail(where, "must be a single value");
                    return null;
                }
                return List.of(value);
            }
            case TWO -> {
                if (value == null || !value.isArray() || value.size() != 2) {
                    fail(where, "must be an array of two values");
                    return null;
                }
                return List.of(value.get(0), value.get(1));
            }
            default -> {
                if (value == null || !value.isArray() || value.isEmpty()) {
                    fail(where, "must be a non-empty array");
                    return null;
                }
                if (value.size() > MAX_VALUES) {
                    fail(where, "must have at most " + MAX_VALUES + " values");
                    return null;
                }
                List<JsonNode> items = new ArrayList<>();
                value.forEach(items::add);
                return items;
            }
        }
    }

    private Object operand(FieldType type, Operator op, JsonNode node, String where) {
        if (op == Operator.OLDER_THAN_DAYS || op == Operator.WITHIN_DAYS) {
            return integer(node, where, 0, MAX_DAYS);
        }
        return switch (type) {
            case TEXT -> text(node, where);
            case NUMBER -> {
                if (!node.isNumber()) {
                    fail(where, "must be a number");
                    yield null;
                }
                BigDecimal number = node.decimalValue();
                if (number.abs().compareTo(BigDecimal.valueOf(1_000_000_000_000_000L)) > 0 || number.scale() > 10) {
                    fail(where, "must be a number of reasonable size");
                    yield null;
                }
                yield number;
            }
            case DATE -> {
                Instant instant = node.isString() ? instant(node.asString()) : null;
                if (instant == null) {
                    fail(where, "must be a date (YYYY-MM-DD) or an instant (ISO 8601, UTC)");
                }
                yield instant;
            }
            case BOOLEAN -> {
                if (!node.isBoolean()) {
                    fail(where, "must be true or false");
                    yield null;
                }
                yield node.asBoolean();
            }
        };
    }

    private static Instant instant(String text) {
        if (text.length() > 40) {
            return null;
        }
        try {
            return text.length() == 10
                    ? InputDates.date(text).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : InputDates.instant(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private String text(JsonNode node, String where) {
        if (!node.isString()) {
            fail(where, "must be a string");
            return null;
        }
        String text = node.asString();
        if (text.isEmpty()) {
            fail(where, "must not be empty (use isEmpty to find empty values)");
            return null;
        }
        if (text.length() > MAX_STRING) {
            fail(where, "must be at most " + MAX_STRING + " characters");
            return null;
        }
        if (text.indexOf('\0') >= 0) {
            fail(where, "must not contain NUL characters");
            return null;
        }
        return text;
    }

    private Long integer(JsonNode node, String where, long min, long max) {
        if (node == null
                || !node.isIntegralNumber()
                || !node.canConvertToLong()
                || node.asLong() < min
                || node.asLong() > max) {
            fail(where, "must be a whole number from " + min + " to " + max);
            return null;
        }
        return node.asLong();
    }

    private Long id(JsonNode node, String where) {
        return integer(node, where, 1, Long.MAX_VALUE);
    }

    /** The value of the only key of {@code node}, which must be {@code key}; null after reporting. */
    private JsonNode single(JsonNode node, String path, String key) {
        if (!node.isObject() || node.size() != 1 || !node.has(key)) {
            fail(path, "must be {\"" + key + "\": …}");
            return null;
        }
        return node.get(key);
    }

    private Condition numericComparison(
            JsonNode node,
            String path,
            long min,
            long max,
            java.util.function.BiFunction<Operator, List<Long>, Condition> make) {
        Map.Entry<Operator, JsonNode> comparison = comparison(node, path, NUMERIC);
        if (comparison == null) {
            return null;
        }
        Operator op = comparison.getKey();
        String where = path + "." + op.json();
        List<JsonNode> items = arity(op, comparison.getValue(), where);
        if (items == null) {
            return null;
        }
        List<Long> operands = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Long n = integer(items.get(i), items.size() > 1 ? where + "[" + i + "]" : where, min, max);
            if (n == null) {
                return null;
            }
            operands.add(n);
        }
        if (op == Operator.BETWEEN && operands.get(0) > operands.get(1)) {
            return fail(where, "must be [low, high] with low ≤ high");
        }
        return make.apply(op, operands);
    }

    private Map.Entry<Operator, JsonNode> comparison(JsonNode node, String path, Set<Operator> allowed) {
        if (!node.isObject() || node.size() != 1) {
            fail(path, "must be an object with one operator, e.g. {\"gte\": 50}");
            return null;
        }
        Map.Entry<String, JsonNode> entry = node.properties().iterator().next();
        Operator op = Operator.byJson(entry.getKey());
        if (op == null || !allowed.contains(op)) {
            fail(path + "." + entry.getKey(), "is not an operator here");
            return null;
        }
        return Map.entry(op, entry.getValue());
    }

    private Condition grade(JsonNode node, String path) {
        Map.Entry<Operator, JsonNode> comparison = comparison(
                node,
                path,
                Set.of(
                        Operator.EQ,
                        Operator.NE,
                        Operator.IN,
                        Operator.NOT_IN,
                        Operator.GT,
                        Operator.GTE,
                        Operator.LT,
                        Operator.LTE,
                        Operator.BETWEEN,
                        Operator.IS_EMPTY,
                        Operator.IS_NOT_EMPTY));
        if (comparison == null) {
            return null;
        }
        Operator op = comparison.getKey();
        String where = path + "." + op.json();
        List<JsonNode> items = arity(op, comparison.getValue(), where);
        if (items == null) {
            return null;
        }
        List<String> grades = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            if (!item.isString() || !GradeOrder.isGrade(item.asString())) {
                return fail(
                        items.size() > 1 || op.arity() == Operator.Arity.MANY ? where + "[" + i + "]" : where,
                        "must be a grade: " + String.join(", ", GradeOrder.GRADES));
            }
            grades.add(item.asString());
        }
        if (op == Operator.BETWEEN && GradeOrder.rank(grades.get(0)) > GradeOrder.rank(grades.get(1))) {
            return fail(where, "must be [low, high] with low ≤ high");
        }
        return new GradeCondition(op, grades);
    }

    private record Membership<E>(boolean in, Set<E> values) {}

    private <E extends Enum<E>> Membership<E> membership(JsonNode node, String path, Class<E> type) {
        Map.Entry<Operator, JsonNode> comparison =
                comparison(node, path, Set.of(Operator.IN, Operator.NOT_IN, Operator.EQ, Operator.NE));
        if (comparison == null) {
            return null;
        }
        Operator op = comparison.getKey();
        String where = path + "." + op.json();
        List<JsonNode> items = arity(op, comparison.getValue(), where);
        if (items == null) {
            return null;
        }
        Set<E> values = new LinkedHashSet<>();
        for (int i = 0; i < items.size(); i++) {
            E value = constant(items.get(i), type);
            if (value == null) {
                fail(
                        op.arity() == Operator.Arity.MANY ? where + "[" + i + "]" : where,
                        "must be one of " + EnumSet.allOf(type));
                return null;
            }
            values.add(value);
        }
        return new Membership<>(op == Operator.IN || op == Operator.EQ, values);
    }

    /** One constant or an array of them (none when {@code node} is null); each one that is not a constant fails. */
    private <E extends Enum<E>> Set<E> constants(JsonNode node, Class<E> type, String path, String message) {
        Set<E> values = new LinkedHashSet<>();
        if (node == null) {
            return values;
        }
        List<JsonNode> items = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(items::add);
        } else {
            items.add(node);
        }
        for (JsonNode item : items) {
            E value = constant(item, type);
            if (value == null) {
                fail(path, message);
            } else {
                values.add(value);
            }
        }
        return values;
    }

    private static <E extends Enum<E>> E constant(JsonNode node, Class<E> type) {
        if (!node.isString()) {
            return null;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(node.asString())) {
                return constant;
            }
        }
        return null;
    }

    private Condition owner(JsonNode node, String path) {
        if (node.isObject() && node.size() == 1 && node.has("assigned")) {
            JsonNode assigned = node.get("assigned");
            if (!assigned.isBoolean()) {
                return fail(path + ".assigned", "must be true or false");
            }
            return new OwnerCondition(assigned.asBoolean(), Set.of());
        }
        if (node.isObject() && node.size() == 1 && node.has("in")) {
            List<JsonNode> items = arity(Operator.IN, node.get("in"), path + ".in");
            if (items == null) {
                return null;
            }
            Set<Long> ids = new LinkedHashSet<>();
            for (int i = 0; i < items.size(); i++) {
                Long id = id(items.get(i), path + ".in[" + i + "]");
                if (id == null) {
                    return null;
                }
                ids.add(id);
            }
            return new OwnerCondition(true, ids);
        }
        return fail(path, "must be {\"assigned\": true|false} or {\"in\": [user ids]}");
    }

    private Condition activity(JsonNode node, String path, boolean did) {
        if (!node.isObject()) {
            return fail(path, "must be an object");
        }
        int before = errors.size();
        for (String key : node.propertyNames()) {
            if (!ACTIVITY_KEYS.contains(key)) {
                fail(path + "." + key, "is not a key of an activity condition " + ACTIVITY_KEYS);
            }
        }
        ActivityType type = null;
        if (node.has("type")) {
            type = node.get("type").isString()
                    ? ActivityType.parse(node.get("type").asString())
                    : null;
            if (type == null) {
                fail(path + ".type", "must be an activity type");
            }
        }
        Function<String, String> text = key -> node.has(key) ? text(node.get(key), path + "." + key) : null;
        String customName = text.apply("customName");
        String urlContains = text.apply("urlContains");
        String formName = text.apply("formName");
        String emailId = text.apply("emailId");
        Long campaignId = node.has("campaignId") ? id(node.get("campaignId"), path + ".campaignId") : null;
        Long atLeast =
                node.has("atLeast") ? integer(node.get("atLeast"), path + ".atLeast", 1, 10_000) : Long.valueOf(1);
        Long withinDays =
                node.has("withinDays") ? integer(node.get("withinDays"), path + ".withinDays", 1, MAX_DAYS) : null;
        if (errors.size() > before) {
            return null;
        }
        return new ActivityCondition(
                type,
                new ActivityFilter(customName, urlContains, formName, emailId, campaignId),
                atLeast.intValue(),
                withinDays,
                did);
    }

    private Condition opportunity(JsonNode node, String path) {
        if (!node.isObject()) {
            return fail(path, "must be an object");
        }
        int before = errors.size();
        for (String key : node.propertyNames()) {
            if (!OPPORTUNITY_KEYS.contains(key)) {
                fail(path + "." + key, "is not a key of an opportunity condition " + OPPORTUNITY_KEYS);
            }
        }
        Set<OpportunityStatus> statuses = constants(
                node.get("status"),
                OpportunityStatus.class,
                path + ".status",
                "must be OPEN, WON or LOST (or an array of them)");
        Long closedWithinDays = node.has("closedWithinDays")
                ? integer(node.get("closedWithinDays"), path + ".closedWithinDays", 1, MAX_DAYS)
                : null;
        BigDecimal minAmount = null;
        if (node.has("minAmount")) {
            if (!node.get("minAmount").isNumber()) {
                fail(path + ".minAmount", "must be a number");
            } else {
                minAmount = node.get("minAmount").decimalValue();
            }
        }
        OpportunityType type = null;
        if (node.has("type")) {
            type = constant(node.get("type"), OpportunityType.class);
            if (type == null) {
                fail(path + ".type", "must be NEW_BUSINESS or EXISTING_BUSINESS");
            }
        }
        Set<LostReason> lostReasons = constants(
                node.get("lostReason"),
                LostReason.class,
                path + ".lostReason",
                "must be one of " + List.of(LostReason.values()) + " (or an array of them)");
        return errors.size() > before
                ? null
                : new OpportunityCondition(statuses, closedWithinDays, minAmount, type, lostReasons);
    }

    private Condition program(JsonNode node, String path) {
        if (!node.isObject() || !node.has("enrolledIn")) {
            return fail(path, "must be {\"enrolledIn\": program id, \"state\": optional state}");
        }
        int before = errors.size();
        for (String key : node.propertyNames()) {
            if (!key.equals("enrolledIn") && !key.equals("state")) {
                fail(path + "." + key, "is not a key of a program condition (enrolledIn, state)");
            }
        }
        Long id = id(node.get("enrolledIn"), path + ".enrolledIn");
        String state = node.has("state") ? text(node.get("state"), path + ".state") : null;
        return errors.size() > before ? null : new ProgramState(id, state);
    }

    /** The JSON form of {@code condition}; {@link #parse} of it gives an equal condition. */
    public static JsonNode write(Condition condition) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode node = f.objectNode();
        switch (condition) {
            case All all -> {
                ArrayNode parts = node.putArray("all");
                all.conditions().forEach(c -> parts.add(write(c)));
            }
            case Any any -> {
                ArrayNode parts = node.putArray("any");
                any.conditions().forEach(c -> parts.add(write(c)));
            }
            case Not not -> node.set("not", write(not.condition()));
            case FieldCondition field -> {
                node.put("field", field.field());
                node.put("op", field.op().json());
                switch (field.op().arity()) {
                    case NONE -> {}
                    case ONE -> node.set("value", operand(field.operands().get(0)));
                    default -> {
                        ArrayNode values = node.putArray("value");
                        field.operands().forEach(o -> values.add(operand(o)));
                    }
                }
            }
            case ScoreCondition score -> node.set("score", comparison(score.op(), List.copyOf(score.operands())));
            case DaysSinceLastActivity days ->
                node.set("daysSinceLastActivity", comparison(days.op(), List.copyOf(days.operands())));
            case GradeCondition grade -> node.set("grade", comparison(grade.op(), List.copyOf(grade.grades())));
            case StageCondition stage ->
                node.set(
                        "stage",
                        comparison(
                                stage.in() ? Operator.IN : Operator.NOT_IN,
                                stage.stages().stream()
                                        .sorted()
                                        .map(s -> (Object) s.name())
                                        .toList()));
            case QuadrantCondition quadrant ->
                node.set(
                        "quadrant",
                        comparison(
                                quadrant.in() ? Operator.IN : Operator.NOT_IN,
                                quadrant.quadrants().stream()
                                        .sorted()
                                        .map(q -> (Object) q.name())
                                        .toList()));
            case OwnerCondition owner -> {
                ObjectNode o = node.putObject("owner");
                if (owner.assigned() && !owner.ownerIds().isEmpty()) {
                    ArrayNode ids = o.putArray("in");
                    owner.ownerIds().stream().sorted().forEach(ids::add);
                } else {
                    o.put("assigned", owner.assigned());
                }
            }
            case ListMembership list -> node.putObject("list").put("memberOf", list.listId());
            case ActivityCondition activity -> {
                ObjectNode a = node.putObject(activity.did() ? "activity" : "noActivity");
                if (activity.type() != null) {
                    a.put("type", activity.type().name());
                }
                ActivityFilter filter = activity.filter();
                putIfPresent(a, "customName", filter.customName());
                putIfPresent(a, "urlContains", filter.urlContains());
                putIfPresent(a, "formName", filter.formName());
                putIfPresent(a, "emailId", filter.emailId());
                if (filter.campaignId() != null) {
                    a.put("campaignId", filter.campaignId());
                }
                if (activity.atLeast() != 1) {
                    a.put("atLeast", activity.atLeast());
                }
                if (activity.withinDays() != null) {
                    a.put("withinDays", activity.withinDays());
                }
            }
            case OpportunityCondition opportunity -> {
                ObjectNode o = node.putObject("opportunity");
                if (!opportunity.statuses().isEmpty()) {
                    ArrayNode statuses = o.putArray("status");
                    opportunity.statuses().stream().sorted().forEach(s -> statuses.add(s.name()));
                }
                if (opportunity.closedWithinDays() != null) {
                    o.put("closedWithinDays", opportunity.closedWithinDays());
                }
                if (opportunity.minAmount() != null) {
                    o.put("minAmount", opportunity.minAmount());
                }
                if (opportunity.type() != null) {
                    o.put("type", opportunity.type().name());
                }
                if (!opportunity.lostReasons().isEmpty()) {
                    ArrayNode reasons = o.putArray("lostReason");
                    opportunity.lostReasons().stream().sorted().forEach(r -> reasons.add(r.name()));
                }
            }
            case ProgramState program -> {
                ObjectNode p = node.putObject("program");
                p.put("enrolledIn", program.programId());
                putIfPresent(p, "state", program.state());
            }
        }
        return node;
    }

    private static void putIfPresent(ObjectNode node, String key, String value) {
        if (value != null) {
            node.put(key, value);
        }
    }

    private static JsonNode comparison(Operator op, List<Object> operands) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        switch (op.arity()) {
            case NONE -> node.put(op.json(), true);
            case ONE -> node.set(op.json(), operand(operands.get(0)));
            default -> {
                ArrayNode values = node.putArray(op.json());
                operands.forEach(o -> values.add(operand(o)));
            }
        }
        return node;
    }

    private static JsonNode operand(Object operand) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (operand) {
            case String s -> f.stringNode(s);
            case BigDecimal d -> f.numberNode(d);
            case Long l -> f.numberNode(l);
            case Boolean b -> f.booleanNode(b);
            case Instant i -> f.stringNode(i.toString());
            default -> throw new IllegalArgumentException(operand.getClass().getName());
        };
    }
}

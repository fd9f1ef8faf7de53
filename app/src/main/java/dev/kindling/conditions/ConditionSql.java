package dev.kindling.conditions;

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
import dev.kindling.engine.grading.Quadrant;
import dev.kindling.engine.grading.Thresholds;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Compiles a condition to a SQL boolean expression over {@link #FROM} for set-based work. The result
 * agrees with {@link dev.kindling.engine.condition.ConditionEvaluator} for the same {@code now} and
 * thresholds: every leaf is two-valued (never NULL), negation is pushed to the leaves the same way,
 * and time windows are computed here from {@code now} and bound as instants. Every value is a bind
 * parameter; column names come only from {@link ConditionFields}.
 */
public final class ConditionSql {

    /** The rows a compiled condition is a predicate over. */
    public static final String FROM = "prospect p LEFT JOIN account a ON a.id = p.account_id";

    /** A predicate and its named bind parameters (for {@code JdbcClient.params}). */
    public record Compiled(String sql, Map<String, Object> params) {}

    private final Map<String, Object> params = new LinkedHashMap<>();
    private final List<FieldError> errors = new ArrayList<>();
    private final Instant now;
    private final Thresholds thresholds;

    private ConditionSql(Instant now, Thresholds thresholds) {
        this.now = now.truncatedTo(ChronoUnit.MICROS);
        this.thresholds = thresholds;
    }

    /**
     * The predicate for {@code condition} at {@code now}.
     *
     * @throws InvalidInputException when it uses leaves that cannot be evaluated set-based yet
     *                               (programs: their tables do not exist yet)
     */
    public static Compiled compile(Condition condition, Instant now, Thresholds thresholds) {
        ConditionSql compiler = new ConditionSql(now, thresholds);
        String sql = compiler.condition(condition, false, "");
        if (!compiler.errors.isEmpty()) {
            throw new InvalidInputException(compiler.errors);
        }
        return new Compiled(sql, Map.copyOf(compiler.params));
    }

    private String condition(Condition condition, boolean negated, String path) {
        return switch (condition) {
            case All all ->
                group(all.conditions(), negated ? " OR " : " AND ", negated, path, "all", negated ? "FALSE" : "TRUE");
            case Any any ->
                group(any.conditions(), negated ? " AND " : " OR ", negated, path, "any", negated ? "TRUE" : "FALSE");
            case Not not -> condition(not.condition(), !negated, join(path, "not"));
            case OpportunityCondition o -> opportunity(o, negated);
            default -> {
                String leaf = leaf(condition, path);
                yield negated ? "NOT " + leaf : leaf;
            }
        };
    }

    private String group(
            List<Condition> parts, String operator, boolean negated, String path, String name, String empty) {
        if (parts.isEmpty()) {
            return empty;
        }
        StringJoiner joined = new StringJoiner(operator, "(", ")");
        for (int i = 0; i < parts.size(); i++) {
            joined.add(condition(parts.get(i), negated, join(path, name) + "[" + i + "]"));
        }
        return joined.toString();
    }

    private String leaf(Condition condition, String path) {
        return switch (condition) {
            case FieldCondition field -> field(field, join(path, "field"));
            case ScoreCondition score -> "(" + numeric("p.score", score.op(), score.operands()) + ")";
            case GradeCondition grade -> {
                String in = grades(grade.matchedGrades());
                yield grade.isNegative() ? "(NOT " + in + ")" : in;
            }
            case StageCondition stage ->
                "(" + "p.stage " + (stage.in() ? "" : "NOT ") + "IN "
                        + list(stage.stages().stream().map(Enum::name).sorted().toList()) + ")";
            case QuadrantCondition quadrant -> quadrant(quadrant);
            case OwnerCondition owner ->
                !owner.assigned()
                        ? "(p.owner_id IS NULL)"
                        : owner.ownerIds().isEmpty()
                                ? "(p.owner_id IS NOT NULL)"
                                : "COALESCE(p.owner_id IN "
                                        + list(owner.ownerIds().stream()
                                                .sorted()
                                                .toList()) + ", false)";
            case ActivityCondition activity -> activity(activity);
            case DaysSinceLastActivity days -> daysSince(days);
            case ListMembership list ->
                "EXISTS (SELECT 1 FROM list_member m WHERE m.list_id = " + bind(list.listId())
                        + " AND m.prospect_id = p.id)";
            case ProgramState program -> unsupported(join(path, "program"));
            case All a -> throw new IllegalStateException();
            case Any a -> throw new IllegalStateException();
            case Not n -> throw new IllegalStateException();
            case OpportunityCondition o -> throw new IllegalStateException();
        };
    }

    private String unsupported(String path) {
        errors.add(new FieldError(path.isEmpty() ? "condition" : path, "is not yet supported in set-based evaluation"));
        return "FALSE";
    }

    private String field(FieldCondition condition, String path) {
        String expression = expression(condition.field(), condition.type());
        if (expression == null) {
            errors.add(new FieldError(path, "is not a field conditions can use"));
            return "FALSE";
        }
        List<Object> operands = condition.operands();
        return switch (condition.op()) {
            case IS_EMPTY -> "(" + expression + " IS NULL)";
            case IS_NOT_EMPTY -> "(" + expression + " IS NOT NULL)";
            case NE -> "(NOT " + positive(condition.type(), Operator.EQ, expression, operands) + ")";
            case NOT_IN -> "(NOT " + positive(condition.type(), Operator.IN, expression, operands) + ")";
            default -> positive(condition.type(), condition.op(), expression, operands);
        };
    }

    /** A comparison that is true only for a non-empty value that meets it (never NULL). */
    private String positive(FieldType type, Operator op, String expression, List<Object> operands) {
        boolean text = type == FieldType.TEXT;
        String value = text ? "lower(" + expression + ")" : expression;
        String test = switch (op) {
            case EQ -> value + " = " + operand(type, operands.get(0));
            case IN -> value + " IN " + operandList(type, operands);
            case CONTAINS -> "strpos(" + value + ", " + operand(type, operands.get(0)) + ") > 0";
            case STARTS_WITH -> "starts_with(" + value + ", " + operand(type, operands.get(0)) + ")";
            case ENDS_WITH -> {
                String suffix = operand(type, operands.get(0));
                yield "right(" + value + ", char_length(" + suffix + ")) = " + suffix;
            }
            case GT -> value + " > " + operand(type, operands.get(0));
            case GTE -> value + " >= " + operand(type, operands.get(0));
            case LT -> value + " < " + operand(type, operands.get(0));
            case LTE -> value + " <= " + operand(type, operands.get(0));
            case BETWEEN ->
                value + " >= " + operand(type, operands.get(0)) + " AND " + value + " <= "
                        + operand(type, operands.get(1));
            case OLDER_THAN_DAYS -> value + " <= " + bind(daysBefore((Long) operands.get(0)));
            case WITHIN_DAYS -> value + " > " + bind(daysBefore((Long) operands.get(0)));
            default -> throw new IllegalStateException(op.name());
        };
        return "COALESCE(" + test + ", false)";
    }

    private String operand(FieldType type, Object operand) {
        return switch (type) {
            case TEXT -> "lower(CAST(" + bind(operand) + " AS text))";
            case NUMBER -> "CAST(" + bind(operand) + " AS numeric)";
            case DATE -> bind(operand);
            case BOOLEAN -> "CAST(" + bind(operand) + " AS boolean)";
        };
    }

    private String operandList(FieldType type, List<Object> operands) {
        StringJoiner joined = new StringJoiner(", ", "(", ")");
        operands.forEach(o -> joined.add(operand(type, o)));
        return joined.toString();
    }

    /** The SQL reading a field as its type; NULL when empty or, for custom values, of another JSON type. */
    private String expression(String field, FieldType type) {
        ConditionFields.Standard standard = ConditionFields.standard().get(field);
        if (standard != null) {
            return standard.type() == type ? standard.sql() : null;
        }
        String key = ConditionFields.customKey(field);
        if (key == null) {
            return null;
        }
        String k = "CAST(" + bind(key) + " AS text)";
        return switch (type) {
            case TEXT ->
                "(CASE WHEN jsonb_typeof(p.custom -> " + k + ") = 'string' THEN NULLIF(p.custom ->> " + k
                        + ", '') END)";
            case NUMBER ->
                "(CASE WHEN jsonb_typeof(p.custom -> " + k + ") = 'number' THEN CAST(p.custom ->> " + k
                        + " AS numeric) END)";
            case BOOLEAN ->
                "(CASE WHEN jsonb_typeof(p.custom -> " + k + ") = 'boolean' THEN CAST(p.custom ->> " + k
                        + " AS boolean) END)";
            case DATE ->
                "(CASE WHEN jsonb_typeof(p.custom -> " + k + ") = 'string' AND (p.custom ->> " + k
                        + ") ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN CAST(CAST(p.custom ->> " + k
                        + " AS date) AS timestamp) AT TIME ZONE 'UTC' END)";
        };
    }

    private String numeric(String column, Operator op, List<Long> operands) {
        String a = bind(operands.get(0));
        return switch (op) {
            case EQ -> column + " = " + a;
            case NE -> column + " <> " + a;
            case GT -> column + " > " + a;
            case GTE -> column + " >= " + a;
            case LT -> column + " < " + a;
            case LTE -> column + " <= " + a;
            case BETWEEN -> column + " >= " + a + " AND " + column + " <= " + bind(operands.get(1));
            default -> throw new IllegalStateException(op.name());
        };
    }

    private String grades(Set<String> grades) {
        return grades.isEmpty() ? "FALSE" : "COALESCE(p.grade IN " + list(List.copyOf(grades)) + ", false)";
    }

    private String quadrant(QuadrantCondition condition) {
        List<String> fitGrades = GradeOrder.GRADES.subList(thresholds.mqlGrade().ordinal(), GradeOrder.GRADES.size());
        String fit = grades(Set.copyOf(fitGrades));
        String interest = "p.score >= " + bind((long) thresholds.mqlScore());
        StringJoiner any = new StringJoiner(" OR ", "(", ")");
        for (Quadrant quadrant : condition.quadrants().stream().sorted().toList()) {
            any.add("(" + (quadrant.fitHigh() ? "" : "NOT ") + fit + " AND " + (quadrant.interestHigh() ? "" : "NOT ")
                    + "(" + interest + "))");
        }
        String in = condition.quadrants().isEmpty() ? "FALSE" : any.toString();
        return condition.in() ? in : "(NOT " + in + ")";
    }

    private String activity(ActivityCondition condition) {
        StringBuilder where = new StringBuilder("x.prospect_id = p.id AND NOT x.bot");
        if (condition.type() != null) {
            where.append(" AND x.type = ").append(bind(condition.type().name()));
        }
        if (condition.withinDays() != null) {
            where.append(" AND x.occurred_at > ").append(bind(daysBefore(condition.withinDays())));
        }
        ActivityFilter filter = condition.filter();
        if (filter.customName() != null) {
            where.append(" AND lower(x.custom_name) = lower(CAST(")
                    .append(bind(filter.customName()))
                    .append(" AS text))");
        }
        if (filter.urlContains() != null) {
            where.append(" AND strpos(lower(x.properties ->> 'url'), lower(CAST(")
                    .append(bind(filter.urlContains()))
                    .append(" AS text))) > 0");
        }
        if (filter.formName() != null) {
            where.append(" AND lower(x.properties ->> 'formName') = lower(CAST(")
                    .append(bind(filter.formName()))
                    .append(" AS text))");
        }
        if (filter.emailId() != null) {
            where.append(" AND x.properties ->> 'emailId' = CAST(")
                    .append(bind(filter.emailId()))
                    .append(" AS text)");
        }
        if (filter.campaignId() != null) {
            where.append(" AND x.campaign_id = ").append(bind(filter.campaignId()));
        }
        String test = condition.atLeast() == 1
                ? "EXISTS (SELECT 1 FROM activity x WHERE " + where + ")"
                : "((SELECT count(*) FROM activity x WHERE " + where + ") >= " + bind((long) condition.atLeast()) + ")";
        return condition.did() ? test : "(NOT " + test + ")";
    }

    /**
     * Any-opportunity semantics: some opportunity the prospect is a contact on meets every criterion; negated, the
     * prospect has at least one opportunity and none meets them (so a prospect without any matches neither).
     */
    private String opportunity(OpportunityCondition condition, boolean negated) {
        StringBuilder where = new StringBuilder("r.prospect_id = p.id");
        if (!condition.statuses().isEmpty()) {
            where.append(" AND o.status IN ")
                    .append(list(condition.statuses().stream()
                            .map(Enum::name)
                            .sorted()
                            .toList()));
        }
        if (condition.closedWithinDays() != null) {
            where.append(" AND o.closed_at > ").append(bind(daysBefore(condition.closedWithinDays())));
        }
        if (condition.minAmount() != null) {
            where.append(" AND o.amount >= CAST(")
                    .append(bind(condition.minAmount()))
                    .append(" AS numeric)");
        }
        if (condition.type() != null) {
            where.append(" AND o.type = ").append(bind(condition.type().name()));
        }
        if (!condition.lostReasons().isEmpty()) {
            where.append(" AND o.lost_reason IN ")
                    .append(list(condition.lostReasons().stream()
                            .map(Enum::name)
                            .sorted()
                            .toList()));
        }
        String matching =
                "EXISTS (SELECT 1 FROM opportunity_contact_role r JOIN opportunity o ON o.id = r.opportunity_id"
                        + " WHERE " + where + ")";
        return negated
                ? "(EXISTS (SELECT 1 FROM opportunity_contact_role r WHERE r.prospect_id = p.id) AND NOT " + matching
                        + ")"
                : matching;
    }

    private String daysSince(DaysSinceLastActivity condition) {
        DaysSinceLastActivity.Window window = condition.window(now);
        StringJoiner inside = new StringJoiner(" AND ", "(", ")");
        if (window.atMost() != null) {
            inside.add("p.last_activity_at <= " + bind(window.atMost()));
        }
        if (window.after() != null) {
            inside.add("p.last_activity_at > " + bind(window.after()));
        }
        return "(p.last_activity_at IS NOT NULL AND " + (window.negate() ? "NOT " : "") + inside + ")";
    }

    private String list(Collection<?> values) {
        StringJoiner joined = new StringJoiner(", ", "(", ")");
        values.forEach(v -> joined.add(bind(v)));
        return joined.toString();
    }

    private Instant daysBefore(long days) {
        return now.minus(Duration.ofDays(days));
    }

    private String bind(Object value) {
        String name = "c" + (params.size() + 1);
        params.put(name, value instanceof Instant instant ? OffsetDateTime.ofInstant(instant, ZoneOffset.UTC) : value);
        return ":" + name;
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }
}

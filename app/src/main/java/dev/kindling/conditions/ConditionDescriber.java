package dev.kindling.conditions;

import dev.kindling.engine.condition.Condition;
import dev.kindling.engine.condition.Operator;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Component;

/**
 * A condition as a short sentence for a person ("Score ≥ 50 and visited a page with a URL containing “/pricing” at
 * least 2 times in the last 30 days"), in the signed-in user's language from the message bundle ({@code condition.*}
 * keys of {@code messages.properties}; {@code messages_ja.properties} follows). The one describer of conditions: the
 * program canvas and tree, the rule page and the grading pages (through grading's {@code ConditionCodec}) show
 * conditions through it. Values are quoted and returned as plain
 * text; pages escape them like any prospect data. Outside a request the words are English.
 */
@Component
public class ConditionDescriber {

    private final MessageSource messages;

    public ConditionDescriber(MessageSource messages) {
        this.messages = messages;
    }

    public String describe(Condition condition) {
        return describe(condition, true);
    }

    private String describe(Condition condition, boolean top) {
        return switch (condition) {
            case Condition.All a -> group(a.conditions(), "and", "condition.all.empty", "always", top);
            case Condition.Any a -> group(a.conditions(), "or", "condition.any.empty", "never", top);
            case Condition.Not n -> text("condition.not", "not ({0})", describe(n.condition(), true));
            case Condition.FieldCondition f ->
                text("condition.field", "{0} {1}", field(f.field()), operator(f.op(), f.operands()));
            case Condition.ScoreCondition s -> text("condition.score", "Score {0}", operator(s.op(), s.operands()));
            case Condition.GradeCondition g ->
                switch (g.op()) {
                    case IS_EMPTY -> text("condition.grade.none", "not graded");
                    case IS_NOT_EMPTY -> text("condition.grade.any", "graded");
                    default -> text("condition.grade", "Grade {0}", operator(g.op(), g.grades()));
                };
            case Condition.StageCondition s ->
                text(
                        s.in() ? "condition.stage.in" : "condition.stage.notIn",
                        s.in() ? "Stage is {0}" : "Stage is not {0}",
                        either(s.stages().stream().map(this::label).sorted().toList()));
            case Condition.QuadrantCondition q ->
                text(
                        q.in() ? "condition.quadrant.in" : "condition.quadrant.notIn",
                        q.in() ? "Quadrant is {0}" : "Quadrant is not {0}",
                        either(q.quadrants().stream().map(this::label).sorted().toList()));
            case Condition.OwnerCondition o ->
                !o.assigned()
                        ? text("condition.owner.none", "has no owner")
                        : o.ownerIds().isEmpty()
                                ? text("condition.owner.any", "has an owner")
                                : text(
                                        "condition.owner.in",
                                        "owner is user {0}",
                                        either(o.ownerIds().stream()
                                                .sorted()
                                                .map(String::valueOf)
                                                .toList()));
            case Condition.ListMembership l -> text("condition.list", "member of list {0}", String.valueOf(l.listId()));
            case Condition.ActivityCondition a ->
                a.did() ? activity(a) : text("condition.noActivity", "did not: {0}", activity(a));
            case Condition.DaysSinceLastActivity d ->
                text("condition.daysSince", "days since last activity {0}", operator(d.op(), d.operands()));
            case Condition.OpportunityCondition o -> opportunity(o);
            case Condition.ProgramState p ->
                p.state() == null
                        ? text("condition.program", "enrolled in program {0}", String.valueOf(p.programId()))
                        : text(
                                "condition.program.state",
                                "enrolled in program {0} ({1})",
                                String.valueOf(p.programId()),
                                label(p.state()));
        };
    }

    private String group(List<Condition> parts, String joiner, String emptyKey, String empty, boolean top) {
        if (parts.isEmpty()) {
            return text(emptyKey, empty);
        }
        if (parts.size() == 1) {
            return describe(parts.getFirst(), top);
        }
        String word = " " + text("condition." + joiner, joiner) + " ";
        String joined = parts.stream().map(c -> describe(c, false)).collect(Collectors.joining(word));
        return top ? joined : "(" + joined + ")";
    }

    private String activity(Condition.ActivityCondition a) {
        StringBuilder s = new StringBuilder(
                a.type() == null
                        ? text("condition.activity.any", "had any activity")
                        : text(
                                "condition.activity." + a.type().name(),
                                text("condition.activity.other", "had activity {0}", label(a.type()))));
        Condition.ActivityFilter f = a.filter();
        append(s, "condition.activity.url", "with a URL containing {0}", f.urlContains());
        append(s, "condition.activity.form", "on form {0}", f.formName());
        append(s, "condition.activity.email", "of email {0}", f.emailId());
        append(s, "condition.activity.custom", "named {0}", f.customName());
        if (f.campaignId() != null) {
            s.append(' ')
                    .append(text("condition.activity.campaign", "in campaign {0}", String.valueOf(f.campaignId())));
        }
        if (a.atLeast() > 1) {
            s.append(' ').append(text("condition.activity.times", "at least {0} times", String.valueOf(a.atLeast())));
        }
        if (a.withinDays() != null) {
            s.append(' ')
                    .append(text("condition.activity.within", "in the last {0} days", String.valueOf(a.withinDays())));
        }
        return s.toString();
    }

    private void append(StringBuilder s, String key, String english, String value) {
        if (value != null) {
            s.append(' ').append(text(key, english, quote(value)));
        }
    }

    private String opportunity(Condition.OpportunityCondition o) {
        StringBuilder s = new StringBuilder(text("condition.opportunity", "has an opportunity"));
        if (!o.statuses().isEmpty()) {
            s.append(' ')
                    .append(text(
                            "condition.opportunity.status",
                            "{0}",
                            either(o.statuses().stream()
                                    .map(this::label)
                                    .sorted()
                                    .toList())));
        }
        if (o.type() != null) {
            s.append(' ').append(text("condition.opportunity.type", "of type {0}", label(o.type())));
        }
        if (o.minAmount() != null) {
            s.append(' ').append(text("condition.opportunity.amount", "of at least {0}", plain(o.minAmount())));
        }
        if (o.closedWithinDays() != null) {
            s.append(' ')
                    .append(text(
                            "condition.opportunity.closed",
                            "closed in the last {0} days",
                            String.valueOf(o.closedWithinDays())));
        }
        if (!o.lostReasons().isEmpty()) {
            s.append(' ')
                    .append(text(
                            "condition.opportunity.lostFor",
                            "lost for {0}",
                            either(o.lostReasons().stream()
                                    .map(this::label)
                                    .sorted()
                                    .toList())));
        }
        return s.toString();
    }

    private String operator(Operator op, List<?> operands) {
        List<String> values = operands.stream().map(this::value).toList();
        return switch (op.arity()) {
            case NONE -> text("condition.op." + op.json(), op.json());
            case ONE -> text("condition.op." + op.json(), op.json() + " {0}", values.getFirst());
            case TWO -> text("condition.op." + op.json(), op.json() + " {0} {1}", values.get(0), values.get(1));
            case MANY -> text("condition.op." + op.json(), op.json() + " {0}", either(values));
        };
    }

    private String value(Object operand) {
        return switch (operand) {
            case Number n -> n instanceof BigDecimal b ? plain(b) : String.valueOf(n);
            case Boolean b -> b.toString();
            case String s when isGrade(s) -> s;
            default -> quote(String.valueOf(operand));
        };
    }

    private static boolean isGrade(String s) {
        return dev.kindling.engine.condition.GradeOrder.isGrade(s);
    }

    private static String plain(BigDecimal amount) {
        return amount.stripTrailingZeros().toPlainString();
    }

    private String field(String name) {
        return text("condition.fieldName." + name, name);
    }

    private String label(Object value) {
        // the stages' acronyms have their keys; other names read as words ("NO_DECISION" "No decision")
        String name = value instanceof Enum<?> e ? e.name() : String.valueOf(value);
        String words = name.toLowerCase(Locale.ROOT).replace('_', ' ');
        return text(
                "label." + name, words.isEmpty() ? words : Character.toUpperCase(words.charAt(0)) + words.substring(1));
    }

    private String quote(String value) {
        return text("condition.quote", "“{0}”", value);
    }

    private String either(Collection<String> values) {
        return values.stream().collect(Collectors.joining(" " + text("condition.or", "or") + " "));
    }

    /** The message with this key in the user's language, else {@code english}, with the arguments filled in. */
    private String text(String key, String english, String... args) {
        Locale locale =
                LocaleContextHolder.getLocaleContext() == null ? Locale.ENGLISH : LocaleContextHolder.getLocale();
        return messages.getMessage(key, args, english, locale);
    }
}

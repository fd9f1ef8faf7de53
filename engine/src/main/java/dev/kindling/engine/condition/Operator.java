package dev.kindling.engine.condition;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Comparison operators of condition leaves, with their JSON names and how many operands they take. */
public enum Operator {
    EQ("eq", Arity.ONE),
    NE("ne", Arity.ONE),
    IN("in", Arity.MANY),
    NOT_IN("notIn", Arity.MANY),
    CONTAINS("contains", Arity.ONE),
    STARTS_WITH("startsWith", Arity.ONE),
    ENDS_WITH("endsWith", Arity.ONE),
    GT("gt", Arity.ONE),
    GTE("gte", Arity.ONE),
    LT("lt", Arity.ONE),
    LTE("lte", Arity.ONE),
    BETWEEN("between", Arity.TWO),
    IS_EMPTY("isEmpty", Arity.NONE),
    IS_NOT_EMPTY("isNotEmpty", Arity.NONE),
    /** A date at least N days before now. */
    OLDER_THAN_DAYS("olderThanDays", Arity.ONE),
    /** A date less than N days before now (or later). */
    WITHIN_DAYS("withinDays", Arity.ONE);

    /** How many operands an operator takes: none, one, two (a range), or one or more (a list). */
    public enum Arity {
        NONE,
        ONE,
        TWO,
        MANY
    }

    private static final Map<String, Operator> BY_JSON =
            Arrays.stream(values()).collect(Collectors.toMap(Operator::json, Function.identity()));

    private final String json;
    private final Arity arity;

    Operator(String json, Arity arity) {
        this.json = json;
        this.arity = arity;
    }

    public String json() {
        return json;
    }

    public Arity arity() {
        return arity;
    }

    /** The operator with this JSON name, or {@code null}. */
    public static Operator byJson(String name) {
        return BY_JSON.get(name);
    }

    /** Whether {@code count} operands suit this operator. */
    public boolean accepts(int count) {
        return switch (arity) {
            case NONE -> count == 0;
            case ONE -> count == 1;
            case TWO -> count == 2;
            case MANY -> count >= 1;
        };
    }
}

package dev.kindling.engine.grading;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * How a condition compares a field with its values. Text comparisons ignore case and surrounding
 * blanks. {@code matchesAny} is true when the field contains any of the values as a substring
 * (case-insensitive) — a list of words, never a user-supplied regular expression.
 */
public enum Operator {
    EQ("eq", Arity.ONE, FieldType.TEXT, FieldType.NUMBER),
    NE("ne", Arity.ONE, FieldType.TEXT, FieldType.NUMBER),
    IN("in", Arity.MANY, FieldType.TEXT, FieldType.NUMBER),
    NOT_IN("notIn", Arity.MANY, FieldType.TEXT, FieldType.NUMBER),
    CONTAINS("contains", Arity.ONE, FieldType.TEXT),
    MATCHES_ANY("matchesAny", Arity.MANY, FieldType.TEXT),
    GTE("gte", Arity.ONE, FieldType.NUMBER),
    LTE("lte", Arity.ONE, FieldType.NUMBER),
    BETWEEN("between", Arity.TWO, FieldType.NUMBER);

    /** How many values the operator takes when the condition is active (none makes it inactive). */
    public enum Arity {
        ONE,
        TWO,
        MANY
    }

    private static final Map<String, Operator> BY_NAME =
            Arrays.stream(values()).collect(Collectors.toMap(Operator::operatorName, Function.identity()));

    private final String operatorName;
    private final Arity arity;
    private final Set<FieldType> types;

    Operator(String operatorName, Arity arity, FieldType... types) {
        this.operatorName = operatorName;
        this.arity = arity;
        this.types = Set.of(types);
    }

    public String operatorName() {
        return operatorName;
    }

    public Arity arity() {
        return arity;
    }

    public boolean appliesTo(FieldType type) {
        return types.contains(type);
    }

    /** The operator with this name, or {@code null}. */
    public static Operator byName(String name) {
        return name == null ? null : BY_NAME.get(name);
    }
}

package dev.kindling.engine.condition;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * The type of a field a condition can test, with the operators that make sense for it and the Java
 * class of its operands: text {@link String}, number {@link BigDecimal}, date {@link Instant} (day
 * counts of {@link Operator#OLDER_THAN_DAYS}/{@link Operator#WITHIN_DAYS} are {@link Long}), boolean
 * {@link Boolean}.
 */
public enum FieldType {
    TEXT(
            String.class,
            EnumSet.of(
                    Operator.EQ,
                    Operator.NE,
                    Operator.IN,
                    Operator.NOT_IN,
                    Operator.CONTAINS,
                    Operator.STARTS_WITH,
                    Operator.ENDS_WITH,
                    Operator.IS_EMPTY,
                    Operator.IS_NOT_EMPTY)),
    NUMBER(
            BigDecimal.class,
            EnumSet.of(
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
                    Operator.IS_NOT_EMPTY)),
    DATE(
            Instant.class,
            EnumSet.of(
                    Operator.EQ,
                    Operator.NE,
                    Operator.GT,
                    Operator.GTE,
                    Operator.LT,
                    Operator.LTE,
                    Operator.BETWEEN,
                    Operator.IS_EMPTY,
                    Operator.IS_NOT_EMPTY,
                    Operator.OLDER_THAN_DAYS,
                    Operator.WITHIN_DAYS)),
    BOOLEAN(Boolean.class, EnumSet.of(Operator.EQ, Operator.NE, Operator.IS_EMPTY, Operator.IS_NOT_EMPTY));

    private final Class<?> operandClass;
    private final Set<Operator> operators;

    FieldType(Class<?> operandClass, Set<Operator> operators) {
        this.operandClass = operandClass;
        this.operators = operators;
    }

    public Set<Operator> operators() {
        return operators;
    }

    /** The class every operand of {@code op} must have for this type. */
    public Class<?> operandClass(Operator op) {
        return op == Operator.OLDER_THAN_DAYS || op == Operator.WITHIN_DAYS ? Long.class : operandClass;
    }
}

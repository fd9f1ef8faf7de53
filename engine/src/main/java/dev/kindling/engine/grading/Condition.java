package dev.kindling.engine.grading;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A test of one fit field: {@code field operator values}. Text values are compared without regard
 * to case or surrounding blanks; numbers as decimals. A condition with no values is
 * <em>inactive</em> (configured, waiting for the organisation to fill it in) and is skipped by
 * grading and assignment. An empty field is {@link Outcome#UNKNOWN}, whatever the operator.
 *
 * @param values {@link String}s for a text field, {@link BigDecimal}s for a number field
 */
public record Condition(FitField field, Operator operator, List<Object> values) {

    public static final int MAX_VALUES = 100;
    public static final int MAX_TEXT = 200;

    public Condition {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(operator, "operator");
        values = List.copyOf(values);
        if (!operator.appliesTo(field.type())) {
            throw new IllegalArgumentException(operator.operatorName() + " does not apply to " + field.fieldName());
        }
    }

    public boolean isActive() {
        return !values.isEmpty();
    }

    /** The outcome for these facts; an inactive condition is never asked (it would say UNKNOWN). */
    public Outcome test(FitFacts facts) {
        Object value = facts.value(field);
        if (value == null || !isActive()) {
            return Outcome.UNKNOWN;
        }
        boolean matched = field.type() == FieldType.NUMBER ? testNumber(decimal(value)) : testText(text(value));
        return matched ? Outcome.MATCHED : Outcome.NOT_MATCHED;
    }

    private boolean testText(String v) {
        return switch (operator) {
            case EQ -> v.equals(text(values.getFirst()));
            case NE -> !v.equals(text(values.getFirst()));
            case IN -> values.stream().anyMatch(x -> v.equals(text(x)));
            case NOT_IN -> values.stream().noneMatch(x -> v.equals(text(x)));
            case CONTAINS -> v.contains(text(values.getFirst()));
            case MATCHES_ANY -> values.stream().anyMatch(x -> v.contains(text(x)));
            case GTE, LTE, BETWEEN -> throw new IllegalStateException("number operator on text");
        };
    }

    private boolean testNumber(BigDecimal v) {
        return switch (operator) {
            case EQ -> v.compareTo(decimal(values.getFirst())) == 0;
            case NE -> v.compareTo(decimal(values.getFirst())) != 0;
            case IN -> values.stream().anyMatch(x -> v.compareTo(decimal(x)) == 0);
            case NOT_IN -> values.stream().noneMatch(x -> v.compareTo(decimal(x)) == 0);
            case GTE -> v.compareTo(decimal(values.getFirst())) >= 0;
            case LTE -> v.compareTo(decimal(values.getFirst())) <= 0;
            case BETWEEN -> v.compareTo(decimal(values.get(0))) >= 0 && v.compareTo(decimal(values.get(1))) <= 0;
            case CONTAINS, MATCHES_ANY -> throw new IllegalStateException("text operator on number");
        };
    }

    private static String text(Object o) {
        return o.toString().strip().toLowerCase(Locale.ROOT);
    }

    private static BigDecimal decimal(Object o) {
        if (o instanceof BigDecimal d) {
            return d;
        }
        if (o instanceof Long || o instanceof Integer || o instanceof Short) {
            return BigDecimal.valueOf(((Number) o).longValue());
        }
        return new BigDecimal(o.toString().strip());
    }

    /** The value this condition saw in these facts, as text for an explanation; null when unknown. */
    public String seen(FitFacts facts) {
        Object value = facts.value(field);
        if (value == null) {
            return null;
        }
        return value instanceof BigDecimal d ? d.stripTrailingZeros().toPlainString() : value.toString();
    }

    /**
     * Checks raw input (names and JSON-ish values) and builds the condition, or adds every problem
     * found (paths prefixed with {@code prefix}) and returns null.
     */
    public static Condition parse(
            Object rawField, Object rawOperator, Object rawValues, String prefix, List<Problem> problems) {
        int before = problems.size();
        FitField field = rawField instanceof String s ? FitField.byName(s) : null;
        if (field == null) {
            problems.add(new Problem(
                    prefix + "field",
                    rawField == null ? "is required" : "is not a field a criterion can test; one of " + fieldNames()));
        }
        Operator operator = rawOperator instanceof String s ? Operator.byName(s) : null;
        if (operator == null) {
            problems.add(new Problem(
                    prefix + "operator",
                    rawOperator == null ? "is required" : "is not an operator; one of " + operatorNames()));
        } else if (field != null && !operator.appliesTo(field.type())) {
            problems.add(new Problem(
                    prefix + "operator",
                    operator.operatorName() + " does not apply to the "
                            + field.type().name().toLowerCase(Locale.ROOT) + " field " + field.fieldName()));
        }
        List<Object> values = new ArrayList<>();
        if (rawValues == null) {
            // no values: an inactive condition
        } else if (!(rawValues instanceof List<?> list)) {
            problems.add(new Problem(prefix + "values", "must be a list"));
        } else if (list.size() > MAX_VALUES) {
            problems.add(new Problem(prefix + "values", "must have at most " + MAX_VALUES + " values"));
        } else {
            for (int i = 0; i < list.size(); i++) {
                Object v = list.get(i);
                String where = prefix + "values[" + i + "]";
                if (field == null) {
                    continue;
                }
                if (field.type() == FieldType.NUMBER) {
                    if (v instanceof Number n && !(v instanceof Double || v instanceof Float)) {
                        values.add(decimal(n));
                    } else if (v instanceof Double || v instanceof Float) {
                        values.add(new BigDecimal(v.toString()));
                    } else {
                        problems.add(new Problem(where, "must be a number"));
                    }
                } else if (v instanceof String s && !s.isBlank()) {
                    if (s.length() > MAX_TEXT) {
                        problems.add(new Problem(where, "must be at most " + MAX_TEXT + " characters"));
                    } else if (s.chars().anyMatch(c -> Character.isISOControl(c))) {
                        problems.add(new Problem(where, "must not contain control characters"));
                    } else {
                        values.add(s.strip());
                    }
                } else {
                    problems.add(new Problem(where, "must be non-blank text"));
                }
            }
            if (operator != null && !list.isEmpty() && problems.size() == before) {
                switch (operator.arity()) {
                    case ONE -> {
                        if (values.size() != 1) {
                            problems.add(new Problem(prefix + "values", operator.operatorName() + " takes one value"));
                        }
                    }
                    case TWO -> {
                        if (values.size() != 2) {
                            problems.add(new Problem(prefix + "values", "between takes two values, low and high"));
                        } else if (decimal(values.get(0)).compareTo(decimal(values.get(1))) > 0) {
                            problems.add(
                                    new Problem(prefix + "values", "the low value must not exceed the high value"));
                        }
                    }
                    case MANY -> {}
                }
            }
        }
        return problems.size() == before ? new Condition(field, operator, values) : null;
    }

    private static List<String> fieldNames() {
        return java.util.Arrays.stream(FitField.values())
                .map(FitField::fieldName)
                .toList();
    }

    private static List<String> operatorNames() {
        return java.util.Arrays.stream(Operator.values())
                .map(Operator::operatorName)
                .toList();
    }
}

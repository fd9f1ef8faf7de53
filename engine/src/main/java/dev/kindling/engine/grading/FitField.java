package dev.kindling.engine.grading;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The fields a grading criterion or an assignment rule may test. Prospect fields {@code industry},
 * {@code employees} and {@code country} fall back to the account's value when the prospect's own
 * is empty (a form rarely asks for company size, the account often knows it); the
 * {@code account.*} fields read the account only. {@code emailDomain} is the part of the email
 * after the {@code @}.
 */
public enum FitField {
    JOB_TITLE("jobTitle", FieldType.TEXT),
    DEPARTMENT("department", FieldType.TEXT),
    INDUSTRY("industry", FieldType.TEXT),
    EMPLOYEES("employees", FieldType.NUMBER),
    COUNTRY("country", FieldType.TEXT),
    COMPANY("company", FieldType.TEXT),
    SOURCE("source", FieldType.TEXT),
    EMAIL_DOMAIN("emailDomain", FieldType.TEXT),
    ACCOUNT_NAME("account.name", FieldType.TEXT),
    ACCOUNT_INDUSTRY("account.industry", FieldType.TEXT),
    ACCOUNT_EMPLOYEES("account.employees", FieldType.NUMBER),
    ACCOUNT_COUNTRY("account.country", FieldType.TEXT),
    ACCOUNT_TIER("account.tier", FieldType.TEXT);

    private static final Map<String, FitField> BY_NAME =
            Arrays.stream(values()).collect(Collectors.toMap(FitField::fieldName, Function.identity()));

    private final String fieldName;
    private final FieldType type;

    FitField(String fieldName, FieldType type) {
        this.fieldName = fieldName;
        this.type = type;
    }

    /** The name used in the API and stored in criteria, e.g. {@code "jobTitle"}, {@code "account.employees"}. */
    public String fieldName() {
        return fieldName;
    }

    public FieldType type() {
        return type;
    }

    /** The field with this name, or {@code null}. */
    public static FitField byName(String name) {
        return name == null ? null : BY_NAME.get(name);
    }
}

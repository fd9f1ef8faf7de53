package dev.kindling.engine.grading;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The values of one prospect's fit fields, by their names in the condition language ({@link #FIELDS}): text as
 * {@link String} with surrounding blanks removed, numbers as {@link Long} or {@link BigDecimal}. A missing field, null
 * or blank text is empty; an empty field is left out.
 */
public record FitFacts(Map<String, Object> values) {

    /**
     * The fields of the condition language a grading criterion or an assignment rule may read (docs/grading.md): the
     * prospect's own, those falling back to the account ({@code industryOrAccount}, {@code countryOrAccount},
     * {@code employeesOrAccount}), {@code emailDomain} and the account's.
     */
    public static final List<String> FIELDS = List.of(
            "jobTitle",
            "department",
            "company",
            "source",
            "industry",
            "country",
            "employees",
            "industryOrAccount",
            "countryOrAccount",
            "employeesOrAccount",
            "emailDomain",
            "account.name",
            "account.industry",
            "account.employees",
            "account.country",
            "account.tier");

    public FitFacts {
        Map<String, Object> kept = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            Object value = v instanceof String s ? s.strip() : v;
            if (value != null && !(value instanceof String s && s.isEmpty())) {
                kept.put(k, value);
            }
        });
        values = Collections.unmodifiableMap(kept);
    }

    public static FitFacts of(Map<String, ?> values) {
        return new FitFacts(new LinkedHashMap<>(values));
    }

    /** The value, or null when empty. */
    public Object value(String field) {
        return values.get(field);
    }

    /** The value as an explanation shows it (numbers without trailing zeros), or null when empty. */
    public String shown(String field) {
        Object value = values.get(field);
        if (value == null) {
            return null;
        }
        return value instanceof BigDecimal d ? d.stripTrailingZeros().toPlainString() : value.toString();
    }
}

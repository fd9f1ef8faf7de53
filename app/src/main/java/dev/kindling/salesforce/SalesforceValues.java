package dev.kindling.salesforce;

import java.math.BigDecimal;
import java.time.LocalDate;

/** Reading a Salesforce record's JSON values: blanks as null, numbers, dates. */
final class SalesforceValues {

    private SalesforceValues() {}

    static String text(Object value) {
        return value == null || String.valueOf(value).isBlank()
                ? null
                : String.valueOf(value).trim();
    }

    static BigDecimal decimal(Object value) {
        if (value instanceof Number n) {
            return new BigDecimal(n.toString());
        }
        return text(value) == null ? null : new BigDecimal(text(value));
    }

    static LocalDate date(Object value) {
        return text(value) == null ? null : LocalDate.parse(text(value).substring(0, 10));
    }

    static boolean flag(Object value) {
        return Boolean.TRUE.equals(value) || "true".equals(value);
    }
}

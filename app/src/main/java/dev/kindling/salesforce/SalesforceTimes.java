package dev.kindling.salesforce;

import java.time.Instant;
import java.time.OffsetDateTime;

/** Salesforce's date-times ({@code 2026-01-15T10:20:30.000+0000}) as instants. */
final class SalesforceTimes {

    private SalesforceTimes() {}

    /** The instant of a Salesforce date-time, or {@code null} for {@code null}. */
    static Instant parse(String value) {
        if (value == null) {
            return null;
        }
        return OffsetDateTime.parse(value.replaceAll("([+-]\\d{2})(\\d{2})$", "$1:$2"))
                .toInstant();
    }
}

package dev.kindling.salesforce;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.regex.Pattern;

/** Salesforce's date-times ({@code 2026-01-15T10:20:30.000+0000}) as instants. */
final class SalesforceTimes {

    /** An offset without its colon ({@code +0000}), which {@link OffsetDateTime#parse} does not read. */
    private static final Pattern BARE_OFFSET = Pattern.compile("([+-]\\d{2})(\\d{2})$");

    private SalesforceTimes() {}

    /** The instant of a Salesforce date-time, or {@code null} for {@code null}. */
    static Instant parse(String value) {
        if (value == null) {
            return null;
        }
        return OffsetDateTime.parse(BARE_OFFSET.matcher(value).replaceAll("$1:$2"))
                .toInstant();
    }
}

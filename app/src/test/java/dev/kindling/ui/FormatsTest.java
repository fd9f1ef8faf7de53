package dev.kindling.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Locale;
import java.util.TimeZone;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.i18n.LocaleContextHolder;

class FormatsTest {

    private final Formats formats = new Formats("EUR");

    @AfterEach
    void reset() {
        LocaleContextHolder.resetLocaleContext();
    }

    @Test
    void timesAreShownInTheUsersTimeZone() {
        LocaleContextHolder.setLocale(Locale.ENGLISH);
        LocaleContextHolder.setTimeZone(TimeZone.getTimeZone("Asia/Tokyo"));
        Instant at = Instant.parse("2026-12-05T23:30:00Z");
        assertThat(formats.time(at)).isEqualTo("2026-12-06 08:30 Asia/Tokyo");
        assertThat(formats.time(at, "yyyy-MM-dd HH:mm:ss")).isEqualTo("2026-12-06 08:30:00");
        assertThat(formats.time(null)).isEmpty();
        LocaleContextHolder.setTimeZone(TimeZone.getTimeZone("UTC"));
        assertThat(formats.time(at)).isEqualTo("2026-12-05 23:30 UTC");
    }

    @Test
    void moneyCarriesItsCurrencyAndThousandsSeparatorsAndLargeNumbersAreGrouped() {
        LocaleContextHolder.setLocale(Locale.ENGLISH);
        assertThat(formats.money(new BigDecimal("1234567.5"), "EUR")).isEqualTo("€1,234,567.50");
        assertThat(formats.money(new BigDecimal("120000"), "JPY")).isEqualTo("¥120,000");
        assertThat(formats.money(new BigDecimal("10"), "XYZ1")).isEqualTo("XYZ1 10.00");
        // an amount stored without its own currency (a campaign's cost, a report's total) is in the instance's
        assertThat(formats.money(new BigDecimal("2500"))).isEqualTo("€2,500.00");
        assertThat(formats.number(12345678L)).isEqualTo("12,345,678");
        LocaleContextHolder.setLocale(Locale.JAPANESE);
        assertThat(formats.money(new BigDecimal("120000"), "JPY")).isEqualTo("￥120,000");
        assertThat(formats.number(12345678L)).isEqualTo("12,345,678");
    }
}

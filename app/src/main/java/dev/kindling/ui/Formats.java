package dev.kindling.ui;

import java.math.BigDecimal;
import java.text.NumberFormat;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Currency;
import java.util.Locale;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Component;

/**
 * How pages show times, money and counts to the signed-in user: times in the user's time zone (exports stay UTC),
 * money with its currency and thousands separators, large numbers grouped, all in the user's language
 * ({@link UserLocaleResolver} puts both into {@link LocaleContextHolder}). Called from templates as
 * {@code @formats.time(instant)}, {@code @formats.money(amount, 'EUR')}, {@code @formats.number(n)}.
 */
@Component("formats")
public class Formats {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    /** The instant in the user's time zone, to the minute, with the zone's short name ("2026-12-05 09:30 JST"). */
    public String time(Instant at) {
        if (at == null) {
            return "";
        }
        ZoneId zone = LocaleContextHolder.getTimeZone().toZoneId();
        return TIME.format(at.atZone(zone)) + " " + zone.getDisplayName(java.time.format.TextStyle.SHORT, Locale.ROOT);
    }

    /** A whole number grouped by thousands ("1,234,567"). */
    public String number(Number n) {
        return n == null ? "" : NumberFormat.getIntegerInstance(locale()).format(n);
    }

    /** An amount with its currency's symbol or code and its decimals ("€1,234.50", "¥120,000", "CHF 10.00"). */
    public String money(BigDecimal amount, String currency) {
        if (amount == null) {
            return "";
        }
        NumberFormat format = NumberFormat.getCurrencyInstance(locale());
        try {
            Currency c = Currency.getInstance(currency);
            format.setCurrency(c);
            format.setMinimumFractionDigits(Math.max(c.getDefaultFractionDigits(), 0));
            format.setMaximumFractionDigits(Math.max(c.getDefaultFractionDigits(), 0));
        } catch (IllegalArgumentException | NullPointerException e) {
            NumberFormat plain = NumberFormat.getNumberInstance(locale());
            plain.setMinimumFractionDigits(2);
            plain.setMaximumFractionDigits(2);
            return (currency == null ? "" : currency + " ") + plain.format(amount);
        }
        return format.format(amount);
    }

    private static Locale locale() {
        // numbers are grouped the same way in both languages the UI speaks; English keeps "$" and "€" unambiguous
        Locale user = LocaleContextHolder.getLocale();
        return "ja".equals(user.getLanguage()) ? Locale.JAPAN : Locale.US;
    }
}

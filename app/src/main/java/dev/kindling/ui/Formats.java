package dev.kindling.ui;

import java.math.BigDecimal;
import java.text.NumberFormat;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.Currency;
import java.util.Locale;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Component;

/**
 * How pages show times, money and counts to the signed-in user: times in the user's time zone (exports stay UTC),
 * money with its currency and thousands separators, large numbers grouped, all in the user's language
 * ({@link UserLocaleResolver} puts both into {@link LocaleContextHolder}). Called from templates as
 * {@code @formats.time(instant)} (with the zone's name), {@code @formats.time(instant, 'yyyy-MM-dd HH:mm')},
 * {@code @formats.money(amount, 'EUR')}, {@code @formats.money(amount)} (the instance's currency), {@code @formats.number(n)}.
 */
@Component("formats")
public class Formats {

    private final String currency;

    /**
     * @param currency the instance's currency ({@code kindling.opportunities.currency}): the one of amounts stored
     *                 without their own (campaign costs, report totals; docs/attribution.md)
     */
    public Formats(@Value("${kindling.opportunities.currency:USD}") String currency) {
        this.currency = currency;
    }

    /** The instant in the user's time zone, to the minute, with the zone ("2026-12-05 09:30 Asia/Tokyo"). */
    public String time(Instant at) {
        return at == null ? "" : time(at, "yyyy-MM-dd HH:mm") + " " + zone().getId();
    }

    /**
     * A point in time in the user's time zone with this pattern ({@code yyyy-MM-dd HH:mm}); a date or local date-time
     * as it is. Null gives "".
     */
    public String time(Object at, String pattern) {
        DateTimeFormatter format = DateTimeFormatter.ofPattern(pattern, Locale.ROOT);
        ZoneId zone = zone();
        return switch (at) {
            case null -> "";
            case Instant i -> format.format(i.atZone(zone));
            case OffsetDateTime o -> format.format(o.atZoneSameInstant(zone));
            case ZonedDateTime z -> format.format(z.withZoneSameInstant(zone));
            case java.util.Date d -> format.format(d.toInstant().atZone(zone));
            case TemporalAccessor t -> format.format(t);
            default -> at.toString();
        };
    }

    /** The user's time zone ("Asia/Tokyo"). */
    public ZoneId zone() {
        return LocaleContextHolder.getTimeZone().toZoneId();
    }

    /** A whole number grouped by thousands ("1,234,567"). */
    public String number(Number n) {
        return n == null ? "" : NumberFormat.getIntegerInstance(locale()).format(n);
    }

    /** An amount in the instance's currency (campaign costs, report totals), as {@link #money(BigDecimal, String)}. */
    public String money(BigDecimal amount) {
        return money(amount, currency);
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

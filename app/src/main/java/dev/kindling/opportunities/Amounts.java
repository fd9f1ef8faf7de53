package dev.kindling.opportunities;

import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * Amounts typed into a form: plain ({@code 12500}, {@code 12500.00}) or with thousands grouped by commas
 * ({@code 12,500}, {@code 1,250,000.50}) — what people type from a quote. Spaces around are ignored. Anything else
 * (a comma used as the decimal mark, misplaced groups, letters) is not an amount: better refused than misread.
 */
public final class Amounts {

    private static final Pattern AMOUNT = Pattern.compile("\\d{1,3}(,\\d{3})+(\\.\\d+)?|\\d+(\\.\\d+)?|\\.\\d+");

    private Amounts() {}

    /** The amount, or null when {@code raw} is not one (blank included). */
    public static BigDecimal parse(String raw) {
        if (raw == null) {
            return null;
        }
        String s = raw.strip();
        if (s.length() > 40 || !AMOUNT.matcher(s).matches()) {
            return null;
        }
        return new BigDecimal(s.replace(",", ""));
    }
}

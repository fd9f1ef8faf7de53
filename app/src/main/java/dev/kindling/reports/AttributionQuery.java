package dev.kindling.reports;

import dev.kindling.engine.attribution.Attribution;
import dev.kindling.engine.attribution.AttributionModel;
import dev.kindling.engine.attribution.Basis;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * What an attribution or campaign-ROI report is asked for: the period {@code from} … {@code to} (whole UTC days, both
 * included, at most {@value #MAX_YEARS} years), the model (default {@code W_SHAPED}), the basis (default
 * {@code PIPELINE}), the lookback (0 … {@value #MAX_LOOKBACK_DAYS} days, default 365) and the time-decay half-life
 * (over 0, at most {@value #MAX_HALF_LIFE_DAYS} days, default 7).
 */
public record AttributionQuery(
        LocalDate from, LocalDate to, AttributionModel model, Basis basis, int lookbackDays, double halfLifeDays) {

    static final int MAX_YEARS = 5;
    static final int MAX_LOOKBACK_DAYS = 3650;
    static final int MAX_HALF_LIFE_DAYS = 365;

    /** The first instant of the period. */
    Instant start() {
        return from.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** The first instant after the period. */
    Instant end() {
        return to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** The same query under another model and basis. */
    AttributionQuery with(AttributionModel otherModel, Basis otherBasis) {
        return new AttributionQuery(from, to, otherModel, otherBasis, lookbackDays, halfLifeDays);
    }

    /** Parses request parameters, every problem at once as a field error (400); empty strings count as absent. */
    public static AttributionQuery parse(
            String from, String to, String model, String basis, String lookbackDays, String halfLifeDays) {
        List<FieldError> errors = new ArrayList<>();
        LocalDate start = LifecycleQuery.date("from", from, errors);
        LocalDate end = LifecycleQuery.date("to", to, errors);
        if (start != null && end != null) {
            if (start.isAfter(end)) {
                errors.add(new FieldError("to", "must not be before from"));
            } else if (end.isAfter(start.plusYears(MAX_YEARS).minusDays(1))) {
                errors.add(new FieldError("to", "the period may span at most " + MAX_YEARS + " years"));
            }
        }
        AttributionModel m =
                LifecycleQuery.choice("model", model, AttributionModel.class, AttributionModel.W_SHAPED, errors);
        Basis b = LifecycleQuery.choice("basis", basis, Basis.class, Basis.PIPELINE, errors);
        if (m != null && b != null && !m.supports(b)) {
            errors.add(new FieldError("model", "full_path credits won deals only (basis=won)"));
        }
        Integer lookback = number("lookbackDays", lookbackDays, Attribution.DEFAULT_LOOKBACK_DAYS, errors);
        if (lookback != null && (lookback < 0 || lookback > MAX_LOOKBACK_DAYS)) {
            errors.add(new FieldError("lookbackDays", "must be between 0 and " + MAX_LOOKBACK_DAYS));
        }
        Integer halfLife = number("halfLifeDays", halfLifeDays, (int) Attribution.DEFAULT_HALF_LIFE_DAYS, errors);
        if (halfLife != null && (halfLife < 1 || halfLife > MAX_HALF_LIFE_DAYS)) {
            errors.add(new FieldError("halfLifeDays", "must be between 1 and " + MAX_HALF_LIFE_DAYS));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new AttributionQuery(start, end, m, b, lookback, halfLife);
    }

    private static Integer number(String field, String text, int absent, List<FieldError> errors) {
        if (LifecycleQuery.blank(text)) {
            return absent;
        }
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            errors.add(new FieldError(field, "must be a whole number of days"));
            return null;
        }
    }
}

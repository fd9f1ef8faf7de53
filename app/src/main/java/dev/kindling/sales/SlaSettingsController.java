package dev.kindling.sales;

import dev.kindling.platform.web.ApiRequest;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET/PUT /api/v1/sales/sla}: the SLA (first-contact hours, minimum attempts before a no-response recycle,
 * at-risk share, optional business hours) and marketing's monthly MQL target. Every role reads; ADMIN and MARKETING
 * write (the API's default for configuration). A PUT replaces everything, lists every error and stores nothing on
 * error; the new window applies to handoffs opened from then on (open ones keep the deadline they were given).
 */
@RestController
class SlaSettingsController {

    private final SalesSettings settings;
    private final TransactionTemplate tx;

    SlaSettingsController(SalesSettings settings, TransactionTemplate tx) {
        this.settings = settings;
        this.tx = tx;
    }

    @GetMapping(path = "/api/v1/sales/sla", produces = "application/json")
    Map<String, Object> get() {
        return json(settings.current());
    }

    @PutMapping(path = "/api/v1/sales/sla", consumes = "application/json", produces = "application/json")
    Map<String, Object> put(@RequestBody SlaRequest body) {
        SalesSettings.Settings parsed = parse(body.given());
        // a new window applies to handoffs opened from now on; open ones keep the deadline they were given
        tx.executeWithoutResult(status -> settings.save(parsed));
        return get();
    }

    /** The SLA settings, all given at once. */
    record SlaRequest(
            Long firstContactHours,
            Long minAttempts,
            Long atRiskPercent,
            SlaBusinessHours businessHours,
            Long monthlyMqlTarget)
            implements ApiRequest {
        @Override
        public void check(List<FieldError> errors) {
            ApiRequest.collect(errors, () -> parse(given()));
        }
    }

    /** When the SLA clock runs: on these days between start and end in the zone, when enabled. */
    record SlaBusinessHours(
            Boolean enabled,
            List<String> days,
            @Schema(format = "time", example = "09:00") String start,
            @Schema(format = "time", example = "18:00") String end,
            @Schema(example = "Europe/Berlin") String zone)
            implements ApiRequest {}

    static Map<String, Object> json(SalesSettings.Settings s) {
        Map<String, Object> hours = new LinkedHashMap<>();
        hours.put("enabled", s.businessHours());
        hours.put(
                "days", s.businessDays().stream().sorted().map(DayOfWeek::name).toList());
        hours.put("start", s.businessStart().toString());
        hours.put("end", s.businessEnd().toString());
        hours.put("zone", s.businessZone());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("firstContactHours", s.firstContactHours());
        out.put("minAttempts", s.minAttempts());
        out.put("atRiskPercent", s.atRiskPercent());
        out.put("businessHours", hours);
        out.put("monthlyMqlTarget", s.monthlyMqlTarget());
        return out;
    }

    static SalesSettings.Settings parse(Map<String, Object> raw) {
        List<FieldError> errors = SalesActions.unknown(
                raw, Set.of("firstContactHours", "minAttempts", "atRiskPercent", "businessHours", "monthlyMqlTarget"));
        int hours = integer(raw.get("firstContactHours"), "firstContactHours", 1, 720, errors);
        int attempts = integer(raw.get("minAttempts"), "minAttempts", 0, 20, errors);
        int risk = integer(raw.get("atRiskPercent"), "atRiskPercent", 1, 99, errors);
        int target = integer(raw.get("monthlyMqlTarget"), "monthlyMqlTarget", 0, 10_000_000, errors);
        boolean enabled = false;
        Set<DayOfWeek> days = EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY);
        LocalTime start = LocalTime.of(9, 0);
        LocalTime end = LocalTime.of(18, 0);
        String zone = "UTC";
        Object bh = raw.get("businessHours");
        if (bh instanceof Map<?, ?> m) {
            @SuppressWarnings("unchecked")
            Map<String, Object> h = (Map<String, Object>) m;
            for (String key : h.keySet()) {
                if (!Set.of("enabled", "days", "start", "end", "zone").contains(key)) {
                    errors.add(new FieldError("businessHours." + key, "is not a known field"));
                }
            }
            if (h.get("enabled") instanceof Boolean b) {
                enabled = b;
            } else {
                errors.add(new FieldError("businessHours.enabled", "must be true or false"));
            }
            if (h.get("days") instanceof List<?> list && !list.isEmpty()) {
                days = EnumSet.noneOf(DayOfWeek.class);
                for (Object d : list) {
                    try {
                        days.add(DayOfWeek.valueOf(String.valueOf(d).strip().toUpperCase(java.util.Locale.ROOT)));
                    } catch (IllegalArgumentException e) {
                        errors.add(new FieldError("businessHours.days", "must be weekday names like MONDAY"));
                        break;
                    }
                }
            } else if (h.get("days") != null) {
                errors.add(new FieldError("businessHours.days", "must be a non-empty list of weekday names"));
            }
            start = time(h.get("start"), "businessHours.start", start, errors);
            end = time(h.get("end"), "businessHours.end", end, errors);
            if (!start.isBefore(end)) {
                errors.add(new FieldError("businessHours.end", "must be after the start"));
            }
            if (h.get("zone") instanceof String z) {
                try {
                    zone = ZoneId.of(z.strip()).getId();
                } catch (DateTimeException e) {
                    errors.add(new FieldError("businessHours.zone", "must be a time zone like Asia/Tokyo"));
                }
            } else if (h.get("zone") != null) {
                errors.add(new FieldError("businessHours.zone", "must be a time zone like Asia/Tokyo"));
            }
        } else if (bh != null) {
            errors.add(new FieldError("businessHours", "must be an object"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new SalesSettings.Settings(hours, attempts, risk, enabled, days, start, end, zone, target);
    }

    private static int integer(Object value, String field, int min, int max, List<FieldError> errors) {
        if (value instanceof Long n && n >= min && n <= max) {
            return n.intValue();
        }
        errors.add(new FieldError(field, "must be a whole number from " + min + " to " + max));
        return min;
    }

    private static LocalTime time(Object value, String field, LocalTime fallback, List<FieldError> errors) {
        if (value == null) {
            return fallback;
        }
        try {
            return LocalTime.parse(String.valueOf(value).strip());
        } catch (DateTimeException e) {
            errors.add(new FieldError(field, "must be a time like 09:00"));
            return fallback;
        }
    }
}

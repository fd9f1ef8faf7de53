package dev.kindling.sales;

import dev.kindling.audit.AuditEntry;
import dev.kindling.audit.AuditLog;
import dev.kindling.engine.sla.SlaPolicy;
import dev.kindling.engine.time.BusinessHours;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The SLA and marketing's monthly MQL target: one row, read per use (it is tiny), written by the settings API/UI. */
@Component
class SalesSettings {

    private final AuditLog audit;

    /**
     * The settings as stored. Business hours are kept (days, start, end, zone) even while switched off, so turning
     * them back on restores what was set.
     */
    record Settings(
            int firstContactHours,
            int minAttempts,
            int atRiskPercent,
            boolean businessHours,
            Set<DayOfWeek> businessDays,
            LocalTime businessStart,
            LocalTime businessEnd,
            String businessZone,
            int monthlyMqlTarget) {

        SlaPolicy policy() {
            BusinessHours hours = businessHours
                    ? new BusinessHours(businessDays, businessStart, businessEnd, ZoneId.of(businessZone))
                    : null;
            return new SlaPolicy(Duration.ofHours(firstContactHours), minAttempts, atRiskPercent, hours);
        }
    }

    private final JdbcClient jdbc;
    private final Clock clock;

    SalesSettings(JdbcClient jdbc, Clock clock, AuditLog audit) {
        this.audit = audit;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    Settings current() {
        return jdbc.sql("""
                        SELECT first_contact_hours, min_attempts, at_risk_percent, business_hours, business_days,
                               business_start, business_end, business_zone, monthly_mql_target
                          FROM sales_settings WHERE id = 1""")
                .query((rs, n) -> {
                    Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
                    Arrays.stream((String[]) rs.getArray("business_days").getArray())
                            .map(DayOfWeek::valueOf)
                            .forEach(days::add);
                    return new Settings(
                            rs.getInt("first_contact_hours"),
                            rs.getInt("min_attempts"),
                            rs.getInt("at_risk_percent"),
                            rs.getBoolean("business_hours"),
                            days,
                            rs.getTime("business_start").toLocalTime(),
                            rs.getTime("business_end").toLocalTime(),
                            rs.getString("business_zone"),
                            rs.getInt("monthly_mql_target"));
                })
                .single();
    }

    SlaPolicy policy() {
        return current().policy();
    }

    void save(Settings s) {
        audit.record(AuditEntry.updated("sla_settings", null, current(), s));
        jdbc.sql("""
                        UPDATE sales_settings
                           SET first_contact_hours = :hours, min_attempts = :attempts, at_risk_percent = :risk,
                               business_hours = :bh, business_days = :days, business_start = :start,
                               business_end = :end, business_zone = :zone, monthly_mql_target = :target,
                               updated_at = :now
                         WHERE id = 1""")
                .param("hours", s.firstContactHours())
                .param("attempts", s.minAttempts())
                .param("risk", s.atRiskPercent())
                .param("bh", s.businessHours())
                .param(
                        "days",
                        s.businessDays().stream().sorted().map(DayOfWeek::name).toArray(String[]::new))
                .param("start", java.sql.Time.valueOf(s.businessStart()))
                .param("end", java.sql.Time.valueOf(s.businessEnd()))
                .param("zone", s.businessZone())
                .param("target", s.monthlyMqlTarget())
                .param("now", Timestamp.from(clock.instant()))
                .update();
    }
}

package dev.kindling.reports;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * The KPI dashboard of a period (docs/reports.md, "KPI dashboard"): every KPI for the period, the period of the same
 * length just before it, and the last twelve weeks or months; and each content asset's share of the MQLs.
 *
 * @param segment          the lifecycle report's segment the dashboard is restricted to (with its value), or null
 * @param monthlyMqlTarget marketing's monthly MQL target (the SLA settings), from which the MQL KPI's targets come
 * @param trendPeriods     the trend's weeks or months, oldest first; each KPI's {@code trend} has one figure per entry
 */
public record KpiDashboard(
        LocalDate from,
        LocalDate to,
        String period,
        String segment,
        String segmentValue,
        LocalDate previousFrom,
        LocalDate previousTo,
        Instant generatedAt,
        int monthlyMqlTarget,
        List<KpiQuery.Span> trendPeriods,
        List<Kpi> kpis,
        List<Asset> assets) {

    /** One KPI: its key, label and unit ({@code count}, {@code percent}, {@code days} or {@code money}). */
    public record Kpi(String key, String label, String unit, Figure current, Figure previous, List<Figure> trend) {}

    /**
     * A KPI's value over one span (null when it has no value: nothing to divide by, no deal won), with what it was
     * computed from: for a rate the numerator and denominator, for a median the number of deals or prospects it rests
     * on (numerator), for the cost per won deal the cost (numerator) and the deals won (denominator); {@code target}
     * only for the MQLs.
     */
    public record Figure(Double value, Number numerator, Long denominator, Double target) {}

    /**
     * A content asset (a form, a tracked file or link, an email) and the MQLs of the period (and of the previous one)
     * who touched it before they became MQL, with their share of all the period's MQLs in percent.
     */
    public record Asset(
            String type,
            String id,
            String name,
            long mqls,
            Double percent,
            long previousMqls,
            Double previousPercent) {}
}

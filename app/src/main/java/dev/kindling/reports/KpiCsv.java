package dev.kindling.reports;

import dev.kindling.platform.web.Csv;
import dev.kindling.reports.KpiDashboard.Asset;
import dev.kindling.reports.KpiDashboard.Figure;
import dev.kindling.reports.KpiDashboard.Kpi;
import dev.kindling.reports.KpiQuery.Span;
import java.time.LocalDate;

/**
 * The KPI dashboard as CSV through the app's one writer ({@link Csv}): one row per KPI and span (the period, the
 * previous one, each trend period), then one row per asset and span (its MQLs of the period's MQLs). Asset names are
 * user data: {@link Csv} guards every cell against formula injection.
 */
final class KpiCsv {

    private KpiCsv() {}

    static String of(KpiDashboard d) {
        Csv csv = new Csv(
                "section", "key", "label", "unit", "span", "from", "to", "value", "numerator", "denominator", "target");
        for (Kpi k : d.kpis()) {
            row(csv, k, "current", d.from(), d.to(), k.current());
            row(csv, k, "previous", d.previousFrom(), d.previousTo(), k.previous());
            for (int i = 0; i < k.trend().size(); i++) {
                Span s = d.trendPeriods().get(i);
                row(csv, k, "trend", s.from(), s.to(), k.trend().get(i));
            }
        }
        long mqls = d.kpis().getFirst().current().numerator().longValue();
        long previous = d.kpis().getFirst().previous().numerator().longValue();
        for (Asset a : d.assets()) {
            String key = a.type().toLowerCase(java.util.Locale.ROOT) + ":" + a.id();
            csv.row("asset", key, a.name(), "percent", "current", d.from(), d.to(), a.percent(), a.mqls(), mqls, null);
            csv.row(
                    "asset",
                    key,
                    a.name(),
                    "percent",
                    "previous",
                    d.previousFrom(),
                    d.previousTo(),
                    a.previousPercent(),
                    a.previousMqls(),
                    previous,
                    null);
        }
        return csv.toString();
    }

    private static void row(Csv csv, Kpi k, String span, LocalDate from, LocalDate to, Figure f) {
        csv.row(
                "kpi",
                k.key(),
                k.label(),
                k.unit(),
                span,
                from,
                to,
                f.value(),
                f.numerator(),
                f.denominator(),
                f.target());
    }
}

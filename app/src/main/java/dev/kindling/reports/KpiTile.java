package dev.kindling.reports;

import dev.kindling.reports.KpiDashboard.Figure;
import dev.kindling.reports.KpiDashboard.Kpi;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * One KPI as the page shows it: the period's and the previous period's value as text, the change, the MQL target, and
 * the trend as a column chart drawn on the server as inline SVG (one column per trend period, its height proportional
 * to the largest, each with a {@code <title>} tooltip), as the funnel's charts are.
 */
public record KpiTile(
        String key,
        String label,
        String current,
        String previous,
        String change,
        String target,
        String viewBox,
        List<Column> columns) {

    static final double WIDTH = 240;
    static final double HEIGHT = 64;
    static final double GAP = 4;

    /** One column of the trend chart: its geometry and tooltip. */
    public record Column(String x, String y, String width, String height, String title) {}

    /** The tiles of the dashboard; {@code money} writes an amount with the instance's currency. */
    static List<KpiTile> of(KpiDashboard d, Function<BigDecimal, String> money) {
        List<KpiTile> tiles = new ArrayList<>();
        for (Kpi k : d.kpis()) {
            double max = k.trend().stream()
                    .map(Figure::value)
                    .filter(java.util.Objects::nonNull)
                    .mapToDouble(Double::doubleValue)
                    .max()
                    .orElse(0);
            double step = WIDTH / k.trend().size();
            List<Column> columns = new ArrayList<>();
            for (int i = 0; i < k.trend().size(); i++) {
                Double v = k.trend().get(i).value();
                double h = v == null || max <= 0 ? 0 : Math.max(1, (HEIGHT - 2) * v / max);
                KpiQuery.Span s = d.trendPeriods().get(i);
                columns.add(new Column(
                        number(i * step + GAP / 2),
                        number(HEIGHT - h),
                        number(step - GAP),
                        number(h),
                        s.from() + " … " + s.to() + ": " + text(k.unit(), v, money)));
            }
            Figure now = k.current();
            String target = now.target() == null
                    ? null
                    : "target " + text("count", now.target(), money)
                            + (now.value() == null || now.target() <= 0
                                    ? ""
                                    : " (" + Math.round(100 * now.value() / now.target()) + " %)");
            tiles.add(new KpiTile(
                    k.key(),
                    k.label(),
                    text(k.unit(), now.value(), money),
                    text(k.unit(), k.previous().value(), money),
                    change(k.unit(), now.value(), k.previous().value(), money),
                    target,
                    "0 0 " + number(WIDTH) + " " + number(HEIGHT),
                    columns));
        }
        return tiles;
    }

    /** A value as text in its unit; "—" for none. */
    static String text(String unit, Double v, Function<BigDecimal, String> money) {
        if (v == null) {
            return "—";
        }
        return switch (unit) {
            case "percent" -> String.format(Locale.ROOT, "%.1f %%", v);
            case "days" -> String.format(Locale.ROOT, "%.1f d", v);
            case "money" -> money.apply(BigDecimal.valueOf(v));
            default ->
                v == Math.rint(v)
                        ? String.format(Locale.ROOT, "%,d", v.longValue())
                        : String.format(Locale.ROOT, "%,.1f", v);
        };
    }

    /** The change from the previous period: points for a rate, otherwise the difference in the unit. */
    private static String change(String unit, Double now, Double before, Function<BigDecimal, String> money) {
        if (now == null || before == null) {
            return "";
        }
        double d = now - before;
        String sign = d > 0 ? "+" : d < 0 ? "−" : "±";
        return sign
                + (unit.equals("percent")
                        ? String.format(Locale.ROOT, "%.1f pts", Math.abs(d))
                        : text(unit, Math.abs(d), money));
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}

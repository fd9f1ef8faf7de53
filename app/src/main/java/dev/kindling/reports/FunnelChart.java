package dev.kindling.reports;

import dev.kindling.reports.LifecycleFunnel.Funnel;
import dev.kindling.reports.LifecycleFunnel.Step;
import dev.kindling.reports.LifecycleFunnel.Velocity;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A horizontal bar chart drawn on the server as inline SVG: one labelled bar per row, its length proportional to
 * the row's value against the largest, an optional tick (the mean, on the velocity chart) and a tooltip
 * ({@code <title>}). Two charts are made from a funnel: the step counts and the median days between steps.
 */
public record FunnelChart(String id, String title, List<Bar> bars, int height) {

    static final int WIDTH = 640;
    static final double LABEL_RIGHT = 150;
    static final double BAR_LEFT = 158;
    static final double BAR_MAX = 380;
    static final double ROW = 34;
    static final double BAR_HEIGHT = 22;
    static final double TOP = 8;

    /**
     * One row: the bar's geometry, the label left of it, the value text right of it, the tooltip, and the x of the
     * tick (null when none).
     */
    public record Bar(String key, String label, String x, String y, String width, String barHeight, String textY,
            String valueX, String value, String title, String tickX, String tickY1, String tickY2) {
    }

    /** The step counts of a funnel, each bar titled with its count and conversion from the step before. */
    static FunnelChart steps(Funnel funnel) {
        List<Step> steps = funnel.steps();
        double max = steps.stream().mapToLong(Step::count).max().orElse(0);
        List<Bar> bars = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            String conversion = i == 0 ? ""
                    : s.conversionPercent() == null ? " · conversion from " + steps.get(i - 1).label() + " n/a"
                    : " · " + s.conversionPercent() + " % of " + steps.get(i - 1).label();
            String value = String.format(Locale.ROOT, "%,d", s.count())
                    + (s.conversionPercent() == null ? "" : " (" + s.conversionPercent() + " %)");
            bars.add(bar(i, s.stage(), s.label(), s.count(), max, value,
                    s.label() + ": " + String.format(Locale.ROOT, "%,d", s.count()) + conversion, null));
        }
        return new FunnelChart("funnel-chart", "Prospects reaching each step", bars, height(bars.size()));
    }

    /** The median days between consecutive steps, the mean as a tick, each bar titled with both and the count. */
    static FunnelChart velocity(Funnel funnel) {
        Map<String, String> labels = funnel.steps().stream()
                .collect(Collectors.toMap(Step::stage, Step::label, (a, b) -> a));
        List<Velocity> pairs = funnel.velocity();
        double max = pairs.stream().flatMap(v -> java.util.stream.Stream.of(v.medianDays(), v.meanDays()))
                .filter(java.util.Objects::nonNull).mapToDouble(Double::doubleValue).max().orElse(0);
        Function<String, String> label = stage -> labels.getOrDefault(stage, stage);
        List<Bar> bars = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            Velocity v = pairs.get(i);
            String name = label.apply(v.from()) + " → " + label.apply(v.to());
            String title = v.medianDays() == null ? name + ": no prospect reached both"
                    : name + ": median " + v.medianDays() + " days, mean " + v.meanDays() + " days, "
                            + String.format(Locale.ROOT, "%,d", v.prospects()) + " prospects";
            String value = v.medianDays() == null ? "—" : v.medianDays() + " d (mean " + v.meanDays() + ")";
            bars.add(bar(i, v.from() + "-" + v.to(), name, v.medianDays() == null ? 0 : v.medianDays(), max, value,
                    title, v.meanDays()));
        }
        return new FunnelChart("velocity-chart", "Median days between steps (tick: mean)", bars, height(bars.size()));
    }

    /** One value to draw as a bar: its key, label, value, value text and tooltip. */
    record Item(String key, String label, double value, String text, String title) {
    }

    /** Any list of values as a bar chart (e.g. the attribution report's credit per campaign). */
    static FunnelChart of(String id, String title, List<Item> items) {
        double max = items.stream().mapToDouble(Item::value).max().orElse(0);
        List<Bar> bars = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Item it = items.get(i);
            bars.add(bar(i, it.key(), it.label(), it.value(), max, it.text(), it.title(), null));
        }
        return new FunnelChart(id, title, bars, height(bars.size()));
    }

    private static Bar bar(int row, String key, String label, double value, double max, String text, String title,
            Double tick) {
        double width = max <= 0 ? 0 : BAR_MAX * value / max;
        double y = TOP + row * ROW;
        String tickX = tick == null || max <= 0 ? null : number(BAR_LEFT + BAR_MAX * tick / max);
        return new Bar(key, label, number(BAR_LEFT), number(y), number(Math.max(width, value > 0 ? 1 : 0)),
                number(BAR_HEIGHT), number(y + BAR_HEIGHT * 0.7), number(BAR_LEFT + width + 6), text, title, tickX,
                number(y - 3), number(y + BAR_HEIGHT + 3));
    }

    private static int height(int rows) {
        return (int) Math.ceil(TOP * 2 + rows * ROW);
    }

    public String viewBox() {
        return "0 0 " + WIDTH + " " + height;
    }

    public String labelX() {
        return number(LABEL_RIGHT);
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}

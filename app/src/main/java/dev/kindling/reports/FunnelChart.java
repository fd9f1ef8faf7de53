package dev.kindling.reports;

import dev.kindling.platform.web.BarChart;
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
 * The two bar charts of a funnel ({@link BarChart}): the step counts and the median days between steps, the mean as
 * a tick.
 */
final class FunnelChart {

    private FunnelChart() {}

    /** The step counts of a funnel, each bar titled with its count and conversion from the step before. */
    static BarChart steps(Funnel funnel) {
        List<Step> steps = funnel.steps();
        List<BarChart.Item> items = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            String conversion = i == 0
                    ? ""
                    : s.conversionPercent() == null
                            ? " · conversion from " + steps.get(i - 1).label() + " n/a"
                            : " · " + s.conversionPercent() + " % of "
                                    + steps.get(i - 1).label();
            String value = String.format(Locale.ROOT, "%,d", s.count())
                    + (s.conversionPercent() == null ? "" : " (" + s.conversionPercent() + " %)");
            items.add(new BarChart.Item(
                    s.stage(),
                    s.label(),
                    s.count(),
                    value,
                    s.label() + ": " + String.format(Locale.ROOT, "%,d", s.count()) + conversion,
                    null));
        }
        return BarChart.of("funnel-chart", "Prospects reaching each step", items);
    }

    /** The median days between consecutive steps, the mean as a tick, each bar titled with both and the count. */
    static BarChart velocity(Funnel funnel) {
        Map<String, String> labels =
                funnel.steps().stream().collect(Collectors.toMap(Step::stage, Step::label, (a, b) -> a));
        Function<String, String> label = stage -> labels.getOrDefault(stage, stage);
        List<BarChart.Item> items = new ArrayList<>();
        for (Velocity v : funnel.velocity()) {
            String name = label.apply(v.from()) + " → " + label.apply(v.to());
            String title = v.medianDays() == null
                    ? name + ": no prospect reached both"
                    : name + ": median " + v.medianDays() + " days, mean " + v.meanDays() + " days, "
                            + String.format(Locale.ROOT, "%,d", v.prospects()) + " prospects";
            String value = v.medianDays() == null ? "—" : v.medianDays() + " d (mean " + v.meanDays() + ")";
            items.add(new BarChart.Item(
                    v.from() + "-" + v.to(),
                    name,
                    v.medianDays() == null ? 0 : v.medianDays(),
                    value,
                    title,
                    v.meanDays()));
        }
        return BarChart.of("velocity-chart", "Median days between steps (tick: mean)", items);
    }
}

package dev.kindling.sales;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A horizontal bar chart drawn on the server as inline SVG (as the funnel page's): one labelled bar per row, its
 * length proportional to the largest value (or to {@code scale} when given, e.g. a target), an optional marker line
 * (the target) and a tooltip per bar.
 */
public record BarChart(String id, String title, List<Bar> bars, int height, String markerX, String markerLabel) {

    static final int WIDTH = 640;
    static final double LABEL_RIGHT = 170;
    static final double BAR_LEFT = 178;
    static final double BAR_MAX = 360;
    static final double ROW = 30;
    static final double BAR_HEIGHT = 20;
    static final double TOP = 8;

    public record Bar(String key, String label, String y, String width, String textY, String valueX, String value,
            String title) {
    }

    record Value(String key, String label, double value, String text) {
    }

    static BarChart of(String id, String title, List<Value> values, Double marker, String markerLabel) {
        double max = values.stream().mapToDouble(Value::value).max().orElse(0);
        if (marker != null) {
            max = Math.max(max, marker);
        }
        List<Bar> bars = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            Value v = values.get(i);
            double width = max <= 0 ? 0 : BAR_MAX * v.value() / max;
            double y = TOP + i * ROW;
            bars.add(new Bar(v.key(), v.label(), number(y), number(Math.max(width, v.value() > 0 ? 1 : 0)),
                    number(y + BAR_HEIGHT * 0.7), number(BAR_LEFT + width + 6), v.text(), v.label() + ": " + v.text()));
        }
        String markerX = marker == null || max <= 0 ? null : number(BAR_LEFT + BAR_MAX * marker / max);
        return new BarChart(id, title, bars, (int) Math.ceil(TOP * 2 + Math.max(1, bars.size()) * ROW), markerX,
                markerLabel);
    }

    public String viewBox() {
        return "0 0 " + WIDTH + " " + height;
    }

    public String labelX() {
        return number(LABEL_RIGHT);
    }

    public String barX() {
        return number(BAR_LEFT);
    }

    public String barHeight() {
        return number(BAR_HEIGHT);
    }

    public String markerY2() {
        return number(height - TOP / 2);
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}

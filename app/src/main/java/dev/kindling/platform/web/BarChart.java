package dev.kindling.platform.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The one horizontal bar chart of the pages, drawn on the server as inline SVG by the fragment
 * {@code charts :: bar(chart)}: one labelled bar per row, its length proportional to the largest value (or to a
 * marker when that is larger, e.g. a target), an optional tick per bar (a mean), an optional marker line across the
 * chart (a target) and a tooltip ({@code <title>}) per bar.
 */
public record BarChart(String id, String title, List<Bar> bars, int height, String markerX, String markerLabel) {

    static final int WIDTH = 640;
    static final double LABEL_RIGHT = 170;
    static final double BAR_LEFT = 178;
    static final double BAR_MAX = 360;
    static final double ROW = 30;
    static final double BAR_HEIGHT = 20;
    static final double TOP = 8;

    /** One drawn row: the bar's geometry, the label left of it, the value text right of it, the tooltip, the tick. */
    public record Bar(
            String key,
            String label,
            String x,
            String y,
            String width,
            String barHeight,
            String textY,
            String valueX,
            String value,
            String title,
            String tickX,
            String tickY1,
            String tickY2) {}

    /** One value to draw: its key ({@code data-key}), label, value, value text, tooltip and tick (null: none). */
    public record Item(String key, String label, double value, String text, String title, Double tick) {

        /** A value whose tooltip is "label: text", without a tick. */
        public static Item of(String key, String label, double value, String text) {
            return new Item(key, label, value, text, label + ": " + text, null);
        }
    }

    /** A chart of these items, without a marker. */
    public static BarChart of(String id, String title, List<Item> items) {
        return of(id, title, items, null, null);
    }

    /** A chart of these items with a marker line at {@code marker} (null: none), titled {@code markerLabel}. */
    public static BarChart of(String id, String title, List<Item> items, Double marker, String markerLabel) {
        double max = items.stream().mapToDouble(Item::value).max().orElse(0);
        for (Item it : items) {
            if (it.tick() != null) {
                max = Math.max(max, it.tick());
            }
        }
        if (marker != null) {
            max = Math.max(max, marker);
        }
        List<Bar> bars = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Item it = items.get(i);
            double width = max <= 0 ? 0 : BAR_MAX * it.value() / max;
            double y = TOP + i * ROW;
            String tickX = it.tick() == null || max <= 0 ? null : number(BAR_LEFT + BAR_MAX * it.tick() / max);
            bars.add(new Bar(
                    it.key(),
                    it.label(),
                    number(BAR_LEFT),
                    number(y),
                    number(Math.max(width, it.value() > 0 ? 1 : 0)),
                    number(BAR_HEIGHT),
                    number(y + BAR_HEIGHT * 0.7),
                    number(BAR_LEFT + width + 6),
                    it.text(),
                    it.title(),
                    tickX,
                    number(y - 3),
                    number(y + BAR_HEIGHT + 3)));
        }
        String markerX = marker == null || max <= 0 ? null : number(BAR_LEFT + BAR_MAX * marker / max);
        return new BarChart(
                id, title, bars, (int) Math.ceil(TOP * 2 + Math.max(1, bars.size()) * ROW), markerX, markerLabel);
    }

    public String viewBox() {
        return "0 0 " + WIDTH + " " + height;
    }

    public String labelX() {
        return number(LABEL_RIGHT);
    }

    public String markerY2() {
        return number(height - TOP / 2);
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}

package dev.kindling.scoring;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The score over time as an SVG step line, computed on the server from the ledger: the score holds from one entry
 * to the next, and the line ends at the current score at {@code now}. Coordinates are in a fixed
 * {@value #WIDTH} × {@value #HEIGHT} view box. Every entry kept gets a marker whose {@code style} tells decay,
 * resets and their undoing apart from points earned.
 *
 * <p>Entries are placed at when they happened ({@code occurredAt}: an activity's occurrence, a decay's due time),
 * not when they were processed — a year of imported history is processed in a minute. They are drawn in ledger order;
 * an entry's time may be earlier than the one before it (history imported after newer activity), so its x is never
 * left of the previous entry's. With more than {@value #MAX_ENTRIES}
 * entries the line is thinned: every DECAY and RESET entry, the first and the last are always kept, the others
 * evenly, and the line runs from each kept entry's result to the next kept one.
 *
 * @param polyline  the step line's points ({@code x,y} pairs separated by spaces), two per kept entry and one at now
 * @param markers   one per kept entry, in ledger order
 * @param legend    the marker styles present, in a fixed order
 * @param entries   how many ledger entries were given
 * @param minScore  the score at the bottom of the plot
 * @param maxScore  the score at the top of the plot
 * @param zeroY     the y of score 0 (a base line)
 */
public record ScoreChart(
        String polyline,
        int pointCount,
        List<Marker> markers,
        List<Style> legend,
        int entries,
        int minScore,
        int maxScore,
        String startLabel,
        String endLabel,
        double zeroY) {

    public static final int WIDTH = 640;
    public static final int HEIGHT = 220;
    public static final int MAX_ENTRIES = 300;
    static final double LEFT = 44;
    static final double RIGHT = WIDTH - 12;
    static final double TOP = 12;
    static final double BOTTOM = HEIGHT - 28;

    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MINUTE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** How an entry is marked: points (activity, manual, automation, merge), decay, reset, undo of a reset, rescore. */
    public enum Style {
        POINTS("points"),
        DECAY("decay"),
        RESET("reset"),
        UNDO("undo of a reset"),
        RESCORE("rescore");

        private final String label;

        Style(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /** The CSS class of markers and legend swatches of this style. */
        public String cssClass() {
            return "marker-" + name().toLowerCase(Locale.ROOT);
        }

        static Style of(String kind, Long undoes) {
            return switch (kind) {
                case "DECAY" -> DECAY;
                case "RESET" -> undoes == null ? RESET : UNDO;
                case "RESCORE" -> RESCORE;
                default -> POINTS;
            };
        }
    }

    /** One entry's marker at the score after it; {@code title} is the tooltip (kind, change, result, reason). */
    public record Marker(long entryId, double x, double y, Style style, String kind, String title) {

        public String cx() {
            return number(x);
        }

        public String cy() {
            return number(y);
        }

        /** Decay and resets are drawn larger than points earned. */
        public String r() {
            return style == Style.POINTS ? "3" : "5";
        }
    }

    /** The chart of these entries (in ledger order, oldest first) up to {@code now}; {@code null} when there are none. */
    public static ScoreChart of(List<ProspectScores.EntryView> ledger, Instant now) {
        if (ledger.isEmpty()) {
            return null;
        }
        List<ProspectScores.EntryView> kept = thin(ledger);

        Instant[] xs = new Instant[kept.size()];
        Instant previous = kept.getFirst().occurredAt();
        for (int i = 0; i < kept.size(); i++) {
            previous = kept.get(i).occurredAt().isAfter(previous) ? kept.get(i).occurredAt() : previous;
            xs[i] = previous;
        }
        Instant start = xs[0];
        Instant end = now.isAfter(xs[xs.length - 1]) ? now : xs[xs.length - 1];
        if (!end.isAfter(start)) {
            end = start.plus(Duration.ofHours(1));
        }

        int first = before(kept.getFirst());
        int lo = Math.min(0, first);
        int hi = first;
        for (ProspectScores.EntryView e : kept) {
            lo = Math.min(lo, e.result());
            hi = Math.max(hi, e.result());
        }
        hi = Math.max(hi, lo + 10);

        Scale scale = new Scale(start, end, lo, hi);
        StringBuilder points = new StringBuilder();
        List<Marker> markers = new ArrayList<>(kept.size());
        Set<Style> present = new TreeSet<>();
        int level = first;
        for (int i = 0; i < kept.size(); i++) {
            ProspectScores.EntryView e = kept.get(i);
            double x = scale.x(xs[i]);
            append(points, x, scale.y(level));
            append(points, x, scale.y(e.result()));
            level = e.result();
            Style style = Style.of(e.kind(), e.undoes());
            present.add(style);
            markers.add(new Marker(e.id(), x, scale.y(e.result()), style, e.kind(), title(e)));
        }
        append(points, scale.x(end), scale.y(level));
        return new ScoreChart(
                points.toString(),
                2 * kept.size() + 1,
                List.copyOf(markers),
                List.copyOf(present),
                ledger.size(),
                lo,
                hi,
                DAY.format(start),
                DAY.format(end),
                scale.y(0));
    }

    /** The entries drawn: all of them up to {@value #MAX_ENTRIES}, else the thinned selection described above. */
    static List<ProspectScores.EntryView> thin(List<ProspectScores.EntryView> ledger) {
        if (ledger.size() <= MAX_ENTRIES) {
            return ledger;
        }
        Set<Integer> keep = new LinkedHashSet<>();
        keep.add(0);
        keep.add(ledger.size() - 1);
        for (int i = 0; i < ledger.size(); i++) {
            String kind = ledger.get(i).kind();
            if (kind.equals("DECAY") || kind.equals("RESET")) {
                keep.add(i);
            }
        }
        int others = ledger.size() - keep.size();
        int budget = MAX_ENTRIES - keep.size();
        if (budget > 0 && others > 0) {
            // take every stride-th of the other entries, so the line keeps its shape
            double stride = (double) others / budget;
            double next = 0;
            int seen = 0;
            for (int i = 0; i < ledger.size(); i++) {
                if (keep.contains(i)) {
                    continue;
                }
                if (seen >= next) {
                    keep.add(i);
                    next += stride;
                }
                seen++;
            }
        }
        return new TreeSet<>(keep).stream().map(ledger::get).toList();
    }

    private static int before(ProspectScores.EntryView e) {
        return e.result() - e.delta();
    }

    static String title(ProspectScores.EntryView e) {
        String change = e.setTo() != null ? "set to " + e.setTo() + " (" + signed(e.delta()) + ")" : signed(e.delta());
        String kind = e.kind().equals("RESET") && e.undoes() != null ? "UNDO RESET" : e.kind();
        String reason = e.reason() == null || e.reason().isBlank() ? "" : " · " + e.reason();
        String processed = e.processedLater() ? " (processed " + MINUTE.format(e.at()) + ")" : "";
        return MINUTE.format(e.occurredAt()) + processed + " · " + kind + " " + change + " → " + e.result() + reason;
    }

    private static String signed(int delta) {
        return delta > 0 ? "+" + delta : Integer.toString(delta);
    }

    private static void append(StringBuilder points, double x, double y) {
        if (!points.isEmpty()) {
            points.append(' ');
        }
        points.append(number(x)).append(',').append(number(y));
    }

    static String number(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** The y of the plot's top and bottom, for the axis labels. */
    public String topY() {
        return number(TOP);
    }

    public String bottomY() {
        return number(BOTTOM);
    }

    public String leftX() {
        return number(LEFT);
    }

    public String rightX() {
        return number(RIGHT);
    }

    public String zero() {
        return number(zeroY);
    }

    /** Where the score labels end (right-aligned, left of the axis). */
    public String axisLabelX() {
        return number(LEFT - 6);
    }

    public String maxLabelY() {
        return number(TOP + 4);
    }

    /** The baseline of the date labels, under the time axis. */
    public String dateLabelY() {
        return number(BOTTOM + 18);
    }

    public String viewBox() {
        return "0 0 " + WIDTH + " " + HEIGHT;
    }

    private record Scale(Instant start, Instant end, int lo, int hi) {

        double x(Instant at) {
            double span = Duration.between(start, end).toMillis();
            return LEFT + (RIGHT - LEFT) * Duration.between(start, at).toMillis() / span;
        }

        double y(int score) {
            return BOTTOM - (BOTTOM - TOP) * (score - lo) / (double) (hi - lo);
        }
    }
}

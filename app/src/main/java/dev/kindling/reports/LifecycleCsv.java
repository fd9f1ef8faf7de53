package dev.kindling.reports;

import dev.kindling.platform.web.Csv;
import dev.kindling.reports.LifecycleFunnel.Funnel;
import dev.kindling.reports.LifecycleFunnel.Step;
import dev.kindling.reports.LifecycleFunnel.Velocity;
import java.util.Map;

/**
 * A lifecycle report as CSV (RFC 4180, CRLF): one row per step, velocity pair and inventory stage, for the total and
 * each segment value. Segment labels are prospect data, so every cell goes through the app's CSV writer and its
 * formula-injection guard ({@link Csv#cell}). Numbers are written without grouping; negative numbers cannot occur.
 */
final class LifecycleCsv {

    static final String HEADER = "segment,segment_value,section,from_stage,stage,label,count,conversion_percent,"
            + "prospects,median_days,mean_days";

    private LifecycleCsv() {}

    static String of(LifecycleFunnel report) {
        StringBuilder out = new StringBuilder(HEADER).append("\r\n");
        String segment = report.segment() == null ? "" : report.segment();
        if (report.segment() != null && report.segmentValue() != null) {
            rows(out, segment, report.segmentValue(), report.total());
        } else {
            rows(out, segment, "(all)", report.total());
        }
        for (LifecycleFunnel.SegmentFunnel s : report.segments()) {
            String value = s.label() != null ? s.label() : s.value() != null ? s.value() : "(none)";
            rows(out, segment, value, s.funnel());
        }
        return out.toString();
    }

    private static void rows(StringBuilder out, String segment, String value, Funnel f) {
        for (Step step : f.steps()) {
            line(
                    out,
                    segment,
                    value,
                    "step",
                    "",
                    step.stage(),
                    step.label(),
                    Long.toString(step.count()),
                    text(step.conversionPercent()),
                    "",
                    "",
                    "");
        }
        for (Velocity v : f.velocity()) {
            line(
                    out,
                    segment,
                    value,
                    "velocity",
                    v.from(),
                    v.to(),
                    "",
                    "",
                    "",
                    Long.toString(v.prospects()),
                    text(v.medianDays()),
                    text(v.meanDays()));
        }
        for (Map.Entry<String, Long> e : f.offPath().entrySet()) {
            line(out, segment, value, "off_path", "", e.getKey(), "", Long.toString(e.getValue()), "", "", "", "");
        }
        for (Map.Entry<String, Long> e : f.inventory().entrySet()) {
            line(out, segment, value, "inventory", "", e.getKey(), "", Long.toString(e.getValue()), "", "", "", "");
        }
    }

    private static String text(Double d) {
        return d == null ? "" : d.toString();
    }

    private static void line(StringBuilder out, String... cells) {
        out.append(Csv.line((Object[]) cells));
    }

    /** One cell, as the app's CSV writer writes it ({@link Csv#cell}); null is empty. */
    static String cell(String value) {
        return value == null ? "" : Csv.cell(value);
    }
}

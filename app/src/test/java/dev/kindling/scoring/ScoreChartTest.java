package dev.kindling.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import dev.kindling.scoring.ProspectScores.EntryView;
import dev.kindling.support.PropertyRuns;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ScoreChartTest {

    static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    static final double LEFT = ScoreChart.LEFT;
    static final double RIGHT = ScoreChart.RIGHT;
    static final double TOP = ScoreChart.TOP;
    static final double BOTTOM = ScoreChart.BOTTOM;

    static EntryView entry(long id, String kind, long day, int delta, Integer setTo, int result, Long undoes) {
        return new EntryView(
                id,
                kind,
                T0.plusSeconds(day * 86_400),
                delta,
                setTo,
                result,
                null,
                null,
                kind.toLowerCase() + " " + id,
                undoes,
                T0.plusSeconds(day * 86_400));
    }

    static double[][] points(ScoreChart chart) {
        return Arrays.stream(chart.polyline().split(" "))
                .map(p -> Arrays.stream(p.split(","))
                        .mapToDouble(Double::parseDouble)
                        .toArray())
                .toArray(double[][]::new);
    }

    @Test
    void anEmptyLedgerHasNoChart() {
        assertThat(ScoreChart.of(List.of(), T0)).isNull();
    }

    @Test
    void theScoreIsAStepLineThatHoldsUntilTheNextEntryAndEndsAtNow() {
        // day 0: +10 → 10, day 5: +20 → 30, day 10: decay set to 0, day 20: now
        List<EntryView> ledger = List.of(
                entry(1, "ACTIVITY", 0, 10, null, 10, null),
                entry(2, "ACTIVITY", 5, 20, null, 30, null),
                entry(3, "DECAY", 10, -30, 0, 0, null));
        ScoreChart chart = ScoreChart.of(ledger, T0.plusSeconds(20 * 86_400));

        // y: 0 at the bottom, 30 at the top; x: day 0 at the left, day 20 at the right
        double dayWidth = (RIGHT - LEFT) / 20;
        double pointHeight = (BOTTOM - TOP) / 30;
        double[][] expected = {
            {LEFT, BOTTOM}, {LEFT, BOTTOM - 10 * pointHeight},
            {LEFT + 5 * dayWidth, BOTTOM - 10 * pointHeight}, {LEFT + 5 * dayWidth, TOP},
            {LEFT + 10 * dayWidth, TOP}, {LEFT + 10 * dayWidth, BOTTOM},
            {RIGHT, BOTTOM}
        };
        double[][] actual = points(chart);
        assertThat(chart.pointCount()).isEqualTo(7).isEqualTo(actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i][0]).as("x of point %d", i).isCloseTo(expected[i][0], offset(0.06));
            assertThat(actual[i][1]).as("y of point %d", i).isCloseTo(expected[i][1], offset(0.06));
        }
        assertThat(chart.minScore()).isZero();
        assertThat(chart.maxScore()).isEqualTo(30);
        assertThat(chart.startLabel()).isEqualTo("2025-01-01");
        assertThat(chart.endLabel()).isEqualTo("2025-01-21");
    }

    @Test
    void everyEntryHasAMarkerAtItsResultStyledByWhatItWas() {
        List<EntryView> ledger = List.of(
                entry(1, "ACTIVITY", 0, 50, null, 50, null),
                entry(2, "DECAY", 1, -25, null, 25, null),
                entry(3, "RESET", 2, -25, 0, 0, null),
                entry(4, "RESET", 3, 25, null, 25, 3L),
                entry(5, "MANUAL", 4, 5, null, 30, null),
                entry(6, "RESCORE", 5, 10, 40, 40, null));
        ScoreChart chart = ScoreChart.of(ledger, T0.plusSeconds(6 * 86_400));

        assertThat(chart.markers())
                .extracting(ScoreChart.Marker::style)
                .containsExactly(
                        ScoreChart.Style.POINTS,
                        ScoreChart.Style.DECAY,
                        ScoreChart.Style.RESET,
                        ScoreChart.Style.UNDO,
                        ScoreChart.Style.POINTS,
                        ScoreChart.Style.RESCORE);
        assertThat(chart.legend()).containsExactly(ScoreChart.Style.values());
        double[][] line = points(chart);
        for (int i = 0; i < ledger.size(); i++) {
            ScoreChart.Marker m = chart.markers().get(i);
            assertThat(m.cx() + "," + m.cy())
                    .as("marker %d sits on the line after its step", i)
                    .isEqualTo(ScoreChart.number(line[2 * i + 1][0]) + "," + ScoreChart.number(line[2 * i + 1][1]));
        }
        assertThat(chart.markers().get(1).title()).isEqualTo("2025-01-02 00:00 UTC · DECAY -25 → 25 · decay 2");
        assertThat(chart.markers().get(3).title()).startsWith("2025-01-04 00:00 UTC · UNDO RESET +25 → 25");
        assertThat(chart.markers().get(2).title()).contains("RESET set to 0 (-25) → 0");
        assertThat(chart.markers().get(1).r()).isEqualTo("5");
        assertThat(chart.markers().get(0).r()).isEqualTo("3");
    }

    @Test
    void anEntryDatedBeforeThePreviousOneIsNotDrawnLeftOfIt() {
        List<EntryView> ledger =
                List.of(entry(1, "ACTIVITY", 10, 10, null, 10, null), entry(2, "DECAY", 4, -10, 0, 0, null));
        ScoreChart chart = ScoreChart.of(ledger, T0.plusSeconds(20 * 86_400));

        assertThat(chart.markers().get(1).x())
                .isEqualTo(chart.markers().get(0).x())
                .isEqualTo(LEFT);
    }

    @Test
    void entriesAreDrawnWhenTheyHappenedNotWhenTheyWereProcessed() {
        Instant processed = T0.plusSeconds(366L * 86_400);
        List<EntryView> ledger = List.of(
                new EntryView(1, "ACTIVITY", processed, 10, null, 10, null, 1L, "a", null, T0),
                new EntryView(
                        2, "ACTIVITY", processed, 10, null, 20, null, 2L, "b", null, T0.plusSeconds(183L * 86_400)));
        ScoreChart chart = ScoreChart.of(ledger, processed);

        assertThat(chart.startLabel()).isEqualTo("2025-01-01");
        assertThat(chart.markers().get(0).x()).isCloseTo(LEFT, offset(0.06));
        assertThat(chart.markers().get(1).x()).isCloseTo((LEFT + RIGHT) / 2, offset(1.0));
        assertThat(chart.markers().get(1).title())
                .startsWith("2025-07-03 00:00 UTC (processed 2026-01-02 00:00 UTC) · ACTIVITY +10 → 20");
    }

    @Test
    void negativeScoresWidenTheRangeBelowZero() {
        List<EntryView> ledger = List.of(entry(1, "ACTIVITY", 0, -40, null, -40, null));
        ScoreChart chart = ScoreChart.of(ledger, T0.plusSeconds(86_400));

        assertThat(chart.minScore()).isEqualTo(-40);
        assertThat(chart.maxScore()).isZero();
        assertThat(chart.zeroY()).isEqualTo(TOP);
        assertThat(chart.markers().getFirst().y()).isEqualTo(BOTTOM);
    }

    @Test
    void aLedgerAtOneInstantStillHasAWidth() {
        List<EntryView> ledger = List.of(entry(1, "ACTIVITY", 0, 3, null, 3, null));
        ScoreChart chart = ScoreChart.of(ledger, T0);

        assertThat(List.of(points(chart))).allSatisfy(p -> assertThat(p[0]).isBetween(LEFT, RIGHT));
        assertThat(points(chart)[2][0]).isGreaterThan(LEFT);
        assertThat(chart.maxScore()).isEqualTo(10);
    }

    @Test
    void longLedgersAreThinnedToAtMostThreeHundredEntriesKeepingEveryDecayAndReset() {
        for (int seed = 0, cases = PropertyRuns.cases(50, 1_000); seed < cases; seed++) {
            Random random = new Random(seed);
            int n = 301 + random.nextInt(3000);
            List<EntryView> ledger = new ArrayList<>();
            int score = 0;
            for (int i = 0; i < n; i++) {
                int roll = random.nextInt(100);
                String kind = roll < 5 ? "DECAY" : roll < 7 ? "RESET" : "ACTIVITY";
                int delta = kind.equals("ACTIVITY") ? random.nextInt(20) - 3 : -score / 2;
                score += delta;
                ledger.add(entry(i + 1, kind, i / 10, delta, null, score, null));
            }
            ScoreChart chart = ScoreChart.of(ledger, T0.plusSeconds(n * 8640L + 86_400));

            long special =
                    ledger.stream().filter(e -> !e.kind().equals("ACTIVITY")).count();
            List<Long> drawn =
                    chart.markers().stream().map(ScoreChart.Marker::entryId).toList();
            assertThat(drawn.size())
                    .as("seed %d", seed)
                    .isLessThanOrEqualTo(Math.max(ScoreChart.MAX_ENTRIES, (int) special + 2));
            assertThat(drawn)
                    .as("seed %d", seed)
                    .isSorted()
                    .contains(1L, (long) n)
                    .containsAll(ledger.stream()
                            .filter(e -> !e.kind().equals("ACTIVITY"))
                            .map(EntryView::id)
                            .toList());
            assertThat(chart.pointCount())
                    .as("seed %d", seed)
                    .isEqualTo(2 * drawn.size() + 1)
                    .isEqualTo(points(chart).length);
            assertThat(chart.entries()).isEqualTo(n);
            double[][] line = points(chart);
            assertThat(line[line.length - 1][1])
                    .as("seed %d: the line ends at the current score", seed)
                    .isEqualTo(Double.parseDouble(chart.markers().getLast().cy()));
            for (double[] p : line) {
                assertThat(p[0]).as("seed %d", seed).isBetween(LEFT, RIGHT);
                assertThat(p[1]).as("seed %d", seed).isBetween(TOP - 0.05, BOTTOM + 0.05);
            }
        }
    }

    @Test
    void shortLedgersAreDrawnWhole() {
        List<EntryView> ledger = new ArrayList<>();
        for (int i = 0; i < ScoreChart.MAX_ENTRIES; i++) {
            ledger.add(entry(i + 1, "ACTIVITY", i, 1, null, i + 1, null));
        }
        assertThat(ScoreChart.of(ledger, T0.plusSeconds(400 * 86_400)).markers())
                .hasSize(ScoreChart.MAX_ENTRIES);
    }
}

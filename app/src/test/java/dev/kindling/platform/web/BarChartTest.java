package dev.kindling.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BarChartTest {

    @Test
    void barsAreProportionalToTheLargestValue() {
        BarChart chart = BarChart.of(
                "c",
                "Counts",
                List.of(
                        BarChart.Item.of("a", "A", 10, "10"),
                        BarChart.Item.of("b", "B", 5, "5"),
                        BarChart.Item.of("z", "Zero", 0, "0")));

        assertThat(chart.bars()).extracting(BarChart.Bar::width).containsExactly("360.0", "180.0", "0.0");
        assertThat(chart.bars()).extracting(BarChart.Bar::title).containsExactly("A: 10", "B: 5", "Zero: 0");
        assertThat(chart.markerX()).isNull();
    }

    @Test
    void aTargetAboveEveryValueSetsTheScaleAndDrawsTheMarker() {
        BarChart chart =
                BarChart.of("c", "Supply", List.of(BarChart.Item.of("mqls", "MQLs", 50, "50")), 100.0, "target 100");

        assertThat(chart.bars().getFirst().width()).isEqualTo("180.0");
        assertThat(chart.markerX()).isEqualTo("538.0");
        assertThat(chart.markerLabel()).isEqualTo("target 100");
    }

    @Test
    void aTickBeyondTheBarsWidensTheScaleAndIsDrawnOnItsRow() {
        BarChart chart = BarChart.of("v", "Velocity", List.of(new BarChart.Item("a-b", "A → B", 2, "2 d", "t", 4.0)));

        assertThat(chart.bars().getFirst().width()).isEqualTo("180.0");
        assertThat(chart.bars().getFirst().tickX()).isEqualTo("538.0");
    }
}

package dev.kindling.programs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.conditions.ConditionDescriberTest;
import dev.kindling.engine.automation.Action;
import dev.kindling.engine.program.ProgramDefinition;
import dev.kindling.engine.program.Step;
import dev.kindling.engine.program.TriggerEvent;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ProgramCanvasTest {

    private final ProgramDefinition program = ProgramDefinition.builder(1, "Loop", "mail")
            .step(new Step.ActionStep("mail", new Action.AdjustScore(5), "clicked"))
            .step(new Step.TriggerStep(
                    "clicked", new TriggerEvent.EmailClicked(null, null), Step.Timing.UP_TO, 7, "end", "mail"))
            .step(new Step.EndStep("end"))
            .step(Step.WaitStep.days("orphan", 2, "end"))
            .build();

    private final ProgramCanvas canvas = ProgramCanvas.of(
            program,
            new ProgramReports.Report(1, 0, 0, 0, 0, List.of()),
            step -> ProgramPages.summary(step, ZoneOffset.UTC, ConditionDescriberTest.describer()));

    private final Map<String, ProgramCanvas.Node> nodes =
            canvas.nodes().stream().collect(Collectors.toMap(ProgramCanvas.Node::stepId, Function.identity()));

    @Test
    void stepsStandInLayersByTheirDistanceFromTheFirstAndAStepNoBranchReachesComesLast() {
        assertThat(nodes.get("mail").y()).isLessThan(nodes.get("clicked").y());
        assertThat(nodes.get("clicked").y()).isLessThan(nodes.get("end").y());
        assertThat(nodes.get("orphan").y()).isGreaterThan(nodes.get("end").y());
        assertThat(nodes.get("orphan").unreached()).isTrue();
        assertThat(nodes.get("end").unreached()).isFalse();
        assertThat(canvas.height()).isGreaterThanOrEqualTo(nodes.get("orphan").y() + ProgramCanvas.NODE_HEIGHT);
        assertThat(nodes.get("clicked").branches()).isEqualTo("yes 0 · no 0");
        assertThat(nodes.get("mail").figures()).isEqualTo("0 entered · 0 at step · 0 passed");
    }

    @Test
    void aBranchBackUpRunsAroundTheRightSideAndABranchDownGoesFromBottomToTop() {
        ProgramCanvas.Edge back = edge("clicked", "mail");
        ProgramCanvas.Node clicked = nodes.get("clicked");
        assertThat(back.label()).isEqualTo("no");
        assertThat(back.path()).startsWith("M " + (clicked.x() + ProgramCanvas.NODE_WIDTH) + " ");
        assertThat(back.labelX()).isGreaterThan(clicked.x() + ProgramCanvas.NODE_WIDTH);
        assertThat(canvas.width()).isGreaterThan(back.labelX());

        ProgramCanvas.Edge down = edge("clicked", "end");
        assertThat(down.label()).isEqualTo("yes");
        assertThat(down.path())
                .startsWith("M " + (clicked.x() + ProgramCanvas.NODE_WIDTH / 2) + " "
                        + (clicked.y() + ProgramCanvas.NODE_HEIGHT) + " ")
                .endsWith(" " + nodes.get("end").y());
        assertThat(canvas.edges()).hasSize(4);
    }

    private ProgramCanvas.Edge edge(String from, String to) {
        return canvas.edges().stream()
                .filter(e -> e.from().equals(from) && e.to().equals(to))
                .findFirst()
                .orElseThrow();
    }
}

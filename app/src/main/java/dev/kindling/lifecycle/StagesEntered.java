package dev.kindling.lifecycle;

import dev.kindling.engine.intake.IntakeEvent.StageChanged;
import java.util.List;

/**
 * Published in the writing transaction whenever stage transitions are recorded (intake, stage moves, automation,
 * manual moves), after the rows are written: what happens on entering a stage (assignment) listens here, in batch.
 */
public record StagesEntered(List<StageChanged> changes) {

    public StagesEntered {
        changes = List.copyOf(changes);
    }
}

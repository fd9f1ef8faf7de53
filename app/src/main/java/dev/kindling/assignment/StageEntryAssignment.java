package dev.kindling.assignment;

import dev.kindling.engine.intake.IntakeEvent.StageChanged;
import dev.kindling.engine.lifecycle.LifecycleStage;
import dev.kindling.lifecycle.StagesEntered;
import java.util.List;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Assignment on entering MQL (thresholds) and SQL (a hand-raise, any other move to SQL), in the transaction that
 * records the transitions: one {@link Assignments#assign} per stage for the whole batch. MQL goes first, so a
 * prospect that passes both in one batch is assigned by the MQL setting and then, owned, left alone. An owned
 * prospect entering MQL (typically a recycled lead that re-earned it) is renewed: assigned to its owner again, so
 * the re-MQL is a handoff of its own with a notice and an SLA clock ({@link Assignments#renew}).
 */
@Component
class StageEntryAssignment {

    private final Assignments assignments;

    StageEntryAssignment(Assignments assignments) {
        this.assignments = assignments;
    }

    @EventListener
    void on(StagesEntered entered) {
        for (LifecycleStage stage : AssignmentSettings.STAGES) {
            List<Long> ids = entered.changes().stream()
                    .filter(c -> c.to() == stage)
                    .map(StageChanged::prospectId)
                    .distinct()
                    .toList();
            if (!ids.isEmpty()) {
                if (stage == LifecycleStage.MQL) {
                    // a prospect that is owned already (a recycled lead re-qualifying) is handed to its owner again
                    assignments.renew(ids, new AssignmentCause.StageEntry(stage).cause());
                }
                assignments.assign(ids, new AssignmentCause.StageEntry(stage), false);
            }
        }
    }
}

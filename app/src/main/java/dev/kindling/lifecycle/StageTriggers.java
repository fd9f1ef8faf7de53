package dev.kindling.lifecycle;

import dev.kindling.grading.GradesChanged;
import dev.kindling.prospects.ProspectsChanged;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Stage moves caused by changes outside intake, in the changing transaction: new prospects meet the
 * disqualification policies; prospects whose grade changed meet the MQL thresholds (no activity needed).
 */
@Component
class StageTriggers {

    private final StageMoves moves;

    StageTriggers(StageMoves moves) {
        this.moves = moves;
    }

    @EventListener
    void on(ProspectsChanged changed) {
        moves.onCapture(changed.ids());
    }

    @EventListener
    void on(GradesChanged changed) {
        moves.qualify(changed.ids());
    }
}

package dev.kindling.grading;

import dev.kindling.prospects.ProspectsChanged;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Grades prospects whose fields were written, in the writing transaction, so a read after the write sees the new grade. */
@Component
class RegradeOnChange {

    private final Grader grader;

    RegradeOnChange(Grader grader) {
        this.grader = grader;
    }

    @EventListener
    void on(ProspectsChanged changed) {
        grader.grade(changed.ids());
    }
}

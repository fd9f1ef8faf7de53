package dev.kindling.programs;

import dev.kindling.conditions.ConditionNeeds;
import dev.kindling.conditions.ProspectFactsLoader;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.prospects.ProspectSelection;
import java.time.Clock;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The prospect list's bulk action "Add to program": the ticked prospects are enrolled in a running program by the
 * program's own entry rules, as the "add to program" automation action does (recipients unless the program has no
 * recipient lists, not suppressed, re-entry respected); ADMIN and MARKETING (the default rule for form posts). Then
 * the program's page shows its enrollments.
 */
@Controller
class ProgramSelectionPages {

    private final Programs programs;
    private final Enrollments enrollments;
    private final ProspectFactsLoader loader;
    private final Clock clock;

    ProgramSelectionPages(Programs programs, Enrollments enrollments, ProspectFactsLoader loader, Clock clock) {
        this.programs = programs;
        this.enrollments = enrollments;
        this.loader = loader;
        this.clock = clock;
    }

    @PostMapping("/prospects/bulk/program")
    @Transactional
    String add(
            @RequestParam(name = "id", required = false) List<Long> ids,
            @RequestParam(required = false) Long programId) {
        List<Long> selected = ProspectSelection.of(ids);
        if (programId == null) {
            throw InvalidInputException.of("programId", "choose a running program");
        }
        if (!programs.get(programId).status().enrolls()) {
            throw InvalidInputException.of("programId", "the program is not running: start or resume it first");
        }
        enrollments.enroll(programId, loader.load(selected, ConditionNeeds.LISTS, clock.instant()));
        return "redirect:/programs/" + programId;
    }
}

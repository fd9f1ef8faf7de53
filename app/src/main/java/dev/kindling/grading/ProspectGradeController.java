package dev.kindling.grading;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/prospects/{id}/grade}: the grade, the profile that gave it and why, criterion by criterion. */
@RestController
class ProspectGradeController {

    private final GradeExplanations explanations;

    ProspectGradeController(GradeExplanations explanations) {
        this.explanations = explanations;
    }

    @GetMapping(path = "/api/v1/prospects/{id}/grade", produces = "application/json")
    GradeExplanations.Explained grade(@PathVariable long id) {
        return explanations.of(id);
    }
}

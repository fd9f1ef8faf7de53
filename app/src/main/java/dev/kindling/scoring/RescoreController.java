package dev.kindling.scoring;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/scoring/rescore}: apply the model in force to every prospect's history, previewed first. */
@RestController
@RequestMapping(path = "/api/v1/scoring", produces = "application/json")
class RescoreController {

    private final Rescoring rescoring;

    RescoreController(Rescoring rescoring) {
        this.rescoring = rescoring;
    }

    /** What a rescore would change: how many prospects, and by how much. Writes nothing. */
    @PostMapping("/rescore/preview")
    Rescoring.Summary preview() {
        return rescoring.preview();
    }

    /** Rescores every prospect, recording RESCORE entries; decay is re-applied on the recomputed history. */
    @PostMapping("/rescore")
    Rescoring.Summary apply() {
        return rescoring.apply();
    }
}

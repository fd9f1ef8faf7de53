package dev.kindling.scoring;

import dev.kindling.platform.web.ApiRequest;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/prospects/{id}/score}: the score explained, and reset / undo-reset / adjust (ADMIN and
 * MARKETING only, see the security configuration).
 */
@RestController
@RequestMapping(path = "/api/v1/prospects/{id}/score", produces = "application/json")
class ScoreController {

    static final int MAX_ADJUST = 100_000;

    private final ProspectScores scores;

    ScoreController(ProspectScores scores) {
        this.scores = scores;
    }

    @GetMapping
    ProspectScores.ScoreView get(
            @PathVariable long id,
            @RequestParam(required = false) Long before,
            @RequestParam(defaultValue = "50") int limit) {
        if (limit < 1 || limit > ProspectScores.MAX_PAGE) {
            throw InvalidInputException.of("limit", "must be between 1 and " + ProspectScores.MAX_PAGE);
        }
        return scores.view(id, before, limit);
    }

    @PostMapping("/reset")
    ProspectScores.ScoreView reset(@PathVariable long id, Principal user) {
        scores.reset(id, user.getName());
        return scores.view(id, null, 20);
    }

    @PostMapping("/undo-reset")
    ProspectScores.ScoreView undoReset(@PathVariable long id, Principal user) {
        scores.undoReset(id, user.getName());
        return scores.view(id, null, 20);
    }

    /** {@code {"delta": n, "reason": "..."}}: a MANUAL entry, never below the floor. */
    @PostMapping(path = "/adjust", consumes = "application/json")
    ProspectScores.ScoreView adjust(@PathVariable long id, @RequestBody ScoreAdjustRequest body, Principal user) {
        scores.adjust(id, (int) (long) body.delta(), body.reason().strip(), user.getName());
        return scores.view(id, null, 20);
    }

    /** A manual change of the score, with why. */
    record ScoreAdjustRequest(Long delta, String reason) implements ApiRequest {
        @Override
        public void check(List<FieldError> errors) {
            errors.addAll(adjustErrors(delta, reason));
        }
    }

    /** What is wrong with an adjustment (the API's and the score panel's rule): none when delta and reason are fine. */
    static List<FieldError> adjustErrors(Object delta, Object reason) {
        List<FieldError> errors = new ArrayList<>();
        if (!(delta instanceof Long d) || d == 0 || Math.abs(d) > MAX_ADJUST) {
            errors.add(new FieldError(
                    "delta", "must be a non-zero integer between -" + MAX_ADJUST + " and " + MAX_ADJUST));
        }
        if (!(reason instanceof String r) || r.isBlank() || r.length() > 500) {
            errors.add(new FieldError("reason", "is required (at most 500 characters)"));
        }
        return errors;
    }
}

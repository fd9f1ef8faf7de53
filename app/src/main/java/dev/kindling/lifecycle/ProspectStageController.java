package dev.kindling.lifecycle;

import dev.kindling.engine.lifecycle.Lifecycle;
import dev.kindling.engine.lifecycle.LifecycleStage;
import dev.kindling.platform.security.Role;
import dev.kindling.platform.web.ApiRequest;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.platform.web.NotFoundException;
import java.util.List;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/prospects/{id}/stages}: the current stage, every transition with its cause and the stages reached
 * with their first-entered times. {@code POST /api/v1/prospects/{id}/stage} moves a prospect by hand, with a reason
 * (ADMIN or MARKETING; the sales moves come with the sales capability).
 */
@RestController
@RequestMapping(path = "/api/v1/prospects/{id}", produces = "application/json")
class ProspectStageController {

    static final int MAX_REASON = 500;

    private final StageHistory history;
    private final StageMoves moves;

    ProspectStageController(StageHistory history, StageMoves moves) {
        this.history = history;
        this.moves = moves;
    }

    @GetMapping("/stages")
    StageHistory.View stages(@PathVariable long id) {
        return history.view(id).orElseThrow(() -> new NotFoundException("No prospect " + id));
    }

    /** {@code {"stage": "SAL", "reason": "..."}}. */
    @PostMapping(path = "/stage", consumes = "application/json")
    @Transactional
    StageHistory.View move(@PathVariable long id, @RequestBody StageMoveRequest body, Authentication user) {
        if (!mayMove(user)) {
            throw new AccessDeniedException("Only ADMIN and MARKETING move stages by hand");
        }
        LifecycleStage to = parse(body.stage());
        StageHistory.View current = stages(id);
        if (current.stage().equals(to.name())) {
            throw InvalidInputException.of("stage", "is the prospect's current stage");
        }
        moves.manual(id, to, body.reason().strip(), user.getName());
        return stages(id);
    }

    /** The stage to move the prospect to by hand, and why. */
    record StageMoveRequest(String stage, String reason) implements ApiRequest {
        @Override
        public void check(List<FieldError> errors) {
            LifecycleStage to = stage == null ? null : parse(stage);
            if (to == null || !Lifecycle.MANUAL_TARGETS.contains(to)) {
                errors.add(new FieldError(
                        "stage",
                        "must be one of "
                                + Lifecycle.MANUAL_TARGETS.stream().sorted().toList()));
            }
            if (reason == null || reason.isBlank() || reason.length() > MAX_REASON) {
                errors.add(new FieldError("reason", "is required (at most " + MAX_REASON + " characters)"));
            }
        }
    }

    static boolean mayMove(Authentication user) {
        return Role.any(user, Role.ADMIN, Role.MARKETING);
    }

    private static LifecycleStage parse(String s) {
        try {
            return LifecycleStage.valueOf(s.strip());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}

package dev.kindling.scoring;

import dev.kindling.platform.web.ConflictException;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.NotFoundException;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The score panel's buttons: reset, undo the last reset, adjust by hand. The same service calls as
 * {@code POST /api/v1/prospects/{id}/score/...}, for ADMIN and MARKETING only (403 otherwise). Each answers with a
 * redirect to the prospect page carrying a notice or the form's errors (Post/Redirect/Get).
 */
@Controller
class ScorePanelController {

    private final ProspectScores scores;

    ScorePanelController(ProspectScores scores) {
        this.scores = scores;
    }

    @PostMapping("/prospects/{id}/score/reset")
    ModelAndView reset(@PathVariable long id, Authentication who, RedirectAttributes flash) {
        return act(id, flash, () -> {
            scores.reset(id, who.getName());
            return "Score reset to " + scores.view(id, null, 1).score() + ".";
        });
    }

    @PostMapping("/prospects/{id}/score/undo-reset")
    ModelAndView undoReset(@PathVariable long id, Authentication who, RedirectAttributes flash) {
        return act(id, flash, () -> {
            scores.undoReset(id, who.getName());
            return "Reset undone: the score is " + scores.view(id, null, 1).score() + ".";
        });
    }

    @PostMapping("/prospects/{id}/score/adjust")
    ModelAndView adjust(
            @PathVariable long id,
            @RequestParam(required = false) String delta,
            @RequestParam(required = false) String reason,
            Authentication who,
            RedirectAttributes flash) {
        Object typedDelta = delta;
        try {
            typedDelta = delta == null ? null : Long.parseLong(delta.strip());
        } catch (NumberFormatException e) {
            // left as text: the validation below names it
        }
        List<FieldError> errors = ScoreController.adjustErrors(typedDelta, reason);
        if (!errors.isEmpty()) {
            flash.addFlashAttribute("scoreErrors", errors);
            flash.addFlashAttribute("adjustDelta", delta);
            flash.addFlashAttribute("adjustReason", reason);
            return back(id);
        }
        long points = (Long) typedDelta;
        return act(id, flash, () -> {
            scores.adjust(id, (int) points, reason.strip(), who.getName());
            return "Score adjusted by " + (points > 0 ? "+" : "") + points + ": it is now "
                    + scores.view(id, null, 1).score() + ".";
        });
    }

    private interface Action {
        String run();
    }

    private static ModelAndView act(long id, RedirectAttributes flash, Action action) {
        try {
            flash.addFlashAttribute("scoreNotice", action.run());
        } catch (NotFoundException e) {
            ModelAndView notFound = new ModelAndView("not-found", HttpStatus.NOT_FOUND);
            notFound.addObject("what", "prospect");
            return notFound;
        } catch (ConflictException e) {
            flash.addFlashAttribute("scoreProblem", e.getMessage());
        }
        return back(id);
    }

    private static ModelAndView back(long id) {
        return new ModelAndView("redirect:/prospects/" + id + "#score-panel");
    }
}

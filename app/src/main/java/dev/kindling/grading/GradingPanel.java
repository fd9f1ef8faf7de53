package dev.kindling.grading;

import dev.kindling.prospects.ProspectView;
import org.springframework.stereotype.Component;

/**
 * What the prospect page shows about fit: the grade with its explanation and the derived signals.
 * Called from the {@code grading/panel} fragment as {@code @gradingPanel}, so the prospect page
 * includes it with one line and needs nothing from grading.
 */
@Component("gradingPanel")
public class GradingPanel {

    /** The grade explained, and stars, flames and quadrant of the prospect. */
    public record Panel(GradeExplanations.Explained grade, int stars, int flames, String quadrant) {

        public String starsShown() {
            return "★".repeat(stars) + "☆".repeat(3 - stars);
        }

        public String flamesShown() {
            return flames == 0 ? "none" : "🔥".repeat(flames);
        }
    }

    private final GradeExplanations explanations;

    GradingPanel(GradeExplanations explanations) {
        this.explanations = explanations;
    }

    public Panel of(ProspectView p) {
        return new Panel(explanations.of(p.id()), p.stars(), p.flames(), p.quadrant());
    }
}

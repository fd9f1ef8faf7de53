package dev.kindling.grading;

import dev.kindling.engine.grading.AssignmentRule;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Changes to grading configuration and their consequences: the change commits first, then the
 * prospects it affects are re-graded set-based, page by page. Shared by the API and the UI.
 */
@Component
class GradingChanges {

    private final GradingProfiles profiles;
    private final Grader grader;

    GradingChanges(GradingProfiles profiles, Grader grader) {
        this.profiles = profiles;
        this.grader = grader;
    }

    /** A new profile grades nobody until an assignment rule sends prospects to it. */
    long create(ProfileInput.Profile input) {
        if (profiles.findIdByName(input.name()).isPresent()) {
            throw GradingProfileController.nameTaken();
        }
        return profiles.create(input.name(), input.criteria());
    }

    Grader.Regraded replace(long id, ProfileInput.Profile input) {
        profiles.findIdByName(input.name()).filter(other -> other != id).ifPresent(other -> {
            throw GradingProfileController.nameTaken();
        });
        profiles.replace(id, input.name(), input.criteria());
        return grader.regrade(Grader.Scope.PROFILES, List.of(id));
    }

    /** Its prospects lose their profile (the foreign key sets it to null) and are graded again. */
    Grader.Regraded delete(long id) {
        profiles.delete(id);
        return grader.regrade(Grader.Scope.UNGRADED, List.of());
    }

    Grader.Regraded replaceRules(List<AssignmentRule> rules) {
        profiles.replaceRules(rules);
        return grader.regrade(Grader.Scope.ALL, List.of());
    }
}

package dev.kindling.grading;

import dev.kindling.engine.grading.GradingProfile;
import dev.kindling.engine.grading.ProfileAssignment;
import java.util.Map;

/** Everything needed to grade any prospect: every profile by id, and how profiles are assigned. */
record GradingSetup(Map<Long, GradingProfile> profiles, ProfileAssignment assignment) {

    GradingProfile profile(long id) {
        GradingProfile p = profiles.get(id);
        return p != null ? p : profiles.get(assignment.defaultProfileId());
    }
}

package dev.kindling.grading;

import dev.kindling.engine.grading.GradingProfile;
import java.time.Instant;

/** A grading profile as stored: the engine's profile plus whether it is the default and when it changed. */
public record StoredProfile(GradingProfile profile, boolean isDefault, Instant updatedAt) {}

package dev.kindling.assignment;

import dev.kindling.engine.lifecycle.LifecycleStage;

/**
 * How {@link Assignments#assign} chooses the owner, and the cause it records: the configured setting of a stage
 * entry, round-robin within a team, the territory rules (with a fallback team) or one user.
 */
public sealed interface AssignmentCause {

    /** What the {@code assignment} row's cause says. */
    String cause();

    /** The setting of entering {@code stage} (MQL or SQL) decides; nothing happens when it is NONE. */
    record StageEntry(LifecycleStage stage) implements AssignmentCause {
        public String cause() {
            return "stage:" + stage.name();
        }
    }

    /** Round-robin among the team's active INSIDE_SALES and SALES members. */
    record RoundRobin(long teamId, String cause) implements AssignmentCause {}

    /** The first matching territory (its user, or round-robin in its team); else round-robin in the fallback team. */
    record Territories(Long fallbackTeamId, String cause) implements AssignmentCause {}

    /** This user (skipped when inactive). */
    record ToUser(long userId, String cause) implements AssignmentCause {}
}

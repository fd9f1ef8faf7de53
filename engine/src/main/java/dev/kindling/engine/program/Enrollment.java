package dev.kindling.engine.program;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One prospect's way through one version of a program, as the app stores it (a row). The current step has been
 * entered but not executed yet; {@link ProgramRunner#advance} executes it when it is due.
 *
 * @param id          the enrollment's id (part of every idempotency key)
 * @param programId   the program
 * @param version     the program version it runs on, for its whole life
 * @param prospectId  the prospect
 * @param status      see {@link Status}
 * @param stepId      the current step (for a finished enrollment, the last one)
 * @param enteredAt   when the current step was entered (a trigger counts activities strictly after it)
 * @param dueAt       when the app must look at it again: set exactly when {@link Status#ACTIVE}, and then always
 *                    after the instant of the advance that produced it (an enrollment never spins)
 * @param frozen      while paused, what was left of the wait at the pause; else {@code null}
 * @param pausedBy    why it is paused (both reasons may hold at once); empty unless paused
 * @param visits      step id to the number of times it was entered (the visit number of the key)
 * @param lastEmail   the template of the last email sent, for email triggers without a template of their own
 */
public record Enrollment(
        long id,
        long programId,
        int version,
        long prospectId,
        Status status,
        String stepId,
        Instant enteredAt,
        Instant dueAt,
        Duration frozen,
        Set<PauseReason> pausedBy,
        Map<String, Integer> visits,
        String lastEmail) {

    public Enrollment {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(stepId, "stepId");
        pausedBy = pausedBy == null || pausedBy.isEmpty()
                ? Set.of()
                : Collections.unmodifiableSet(EnumSet.copyOf(pausedBy));
        visits = visits == null ? Map.of() : Map.copyOf(visits);
        if ((status == Status.ACTIVE) != (dueAt != null)) {
            throw new IllegalArgumentException("an enrollment has a due time exactly when it is active: " + status);
        }
        if ((status == Status.PAUSED) == pausedBy.isEmpty()) {
            throw new IllegalArgumentException("a paused enrollment says why, and only a paused one");
        }
    }

    /** Where an enrollment stands. */
    public enum Status {
        /** Waiting at its current step until {@code dueAt} (or an event). */
        ACTIVE,
        /** Frozen: the program is paused or the prospect left the recipients; waits keep their remaining time. */
        PAUSED,
        /** Reached an END step. */
        COMPLETED,
        /** Left before the end: removed, or stopped by the safety net. */
        EXITED;

        public boolean isFinished() {
            return this == COMPLETED || this == EXITED;
        }
    }

    /** Why an enrollment is paused. */
    public enum PauseReason {
        /** The program is paused. */
        PROGRAM,
        /** The prospect is in no recipient list, or in a suppression list. */
        NOT_A_RECIPIENT
    }

    /** How many times the step was entered (0: never). */
    public int visit(String step) {
        return visits.getOrDefault(step, 0);
    }

    /**
     * The idempotency key of executing the current step on its current visit: {@code enrollment:version:step:visit}.
     * Step ids cannot contain {@code :}, so keys of different steps never collide.
     */
    public String key() {
        return id + ":" + version + ":" + stepId + ":" + visit(stepId);
    }

    Enrollment entering(String step, Instant at, Instant due) {
        Map<String, Integer> next = new HashMap<>(visits);
        next.merge(step, 1, Integer::sum);
        return new Enrollment(
                id, programId, version, prospectId, Status.ACTIVE, step, at, due, null, Set.of(), next, lastEmail);
    }

    Enrollment withDue(Instant due) {
        return new Enrollment(
                id,
                programId,
                version,
                prospectId,
                status,
                stepId,
                enteredAt,
                due,
                frozen,
                pausedBy,
                visits,
                lastEmail);
    }

    Enrollment withLastEmail(String templateId) {
        return new Enrollment(
                id,
                programId,
                version,
                prospectId,
                status,
                stepId,
                enteredAt,
                dueAt,
                frozen,
                pausedBy,
                visits,
                templateId);
    }

    Enrollment with(Status newStatus, Instant due, Duration newFrozen, Set<PauseReason> reasons) {
        return new Enrollment(
                id,
                programId,
                version,
                prospectId,
                newStatus,
                stepId,
                enteredAt,
                due,
                newFrozen,
                reasons,
                visits,
                lastEmail);
    }
}

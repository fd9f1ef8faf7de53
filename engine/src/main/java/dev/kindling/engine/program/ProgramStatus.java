package dev.kindling.engine.program;

/**
 * Where a program stands, and the only ways it moves: a DRAFT starts (RUNNING), a RUNNING one pauses, a PAUSED one
 * resumes. Any other move is refused with {@link Refused}, whose message says why; the app turns it into a 409.
 */
public enum ProgramStatus {
    /** Never started: editable, enrolls no one. */
    DRAFT,
    /** Enrolls recipients and advances its enrollments. */
    RUNNING,
    /** Enrolls no one; its enrollments are frozen and keep the remaining time of their waits. */
    PAUSED;

    /** The status after starting: RUNNING, only from DRAFT. */
    public ProgramStatus start() {
        if (this != DRAFT) {
            throw new Refused("is " + this + "; resume a paused one");
        }
        return RUNNING;
    }

    /** The status after pausing: PAUSED, only from RUNNING. */
    public ProgramStatus pause() {
        if (this != RUNNING) {
            throw new Refused("is " + this + ", not RUNNING");
        }
        return PAUSED;
    }

    /** The status after resuming: RUNNING, only from PAUSED. */
    public ProgramStatus resume() {
        if (this != PAUSED) {
            throw new Refused("is " + this + ", not PAUSED");
        }
        return RUNNING;
    }

    /** Whether the program takes in new enrollments now. */
    public boolean enrolls() {
        return this == RUNNING;
    }

    /** A move the current status does not allow; the message completes "program N ...". */
    public static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }
}

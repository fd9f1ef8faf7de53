package dev.kindling.engine.program;

/**
 * Whether a prospect may enroll again. There is never more than one active (or paused) enrollment per prospect
 * per program; {@link #AFTER_COMPLETION} lets a prospect start over once its previous enrollment completed or
 * exited, {@link #NEVER} (the default) never.
 */
public enum ReEntry {
    NEVER,
    AFTER_COMPLETION
}

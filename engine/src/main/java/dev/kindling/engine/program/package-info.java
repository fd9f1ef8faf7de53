/**
 * Nurture programs (SPEC §11, Engagement Studio semantics): the immutable, versioned program definition, its
 * validation on save, the ready-made templates, and the enrollment state machine ({@link
 * dev.kindling.engine.program.ProgramRunner}) that turns an enrollment, what the prospect did and the instant into
 * a new enrollment state with a due time and the effects the app executes. {@code docs/programs.md} is the
 * reference.
 */
package dev.kindling.engine.program;

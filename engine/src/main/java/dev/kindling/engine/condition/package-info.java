/**
 * The condition language (SPEC §6) shared by rules, lists, grading and programs: the model, the
 * in-memory evaluator for one prospect, and the next instant a condition can change with the clock
 * alone. The app compiles the same model to SQL for set-based work.
 */
package dev.kindling.engine.condition;

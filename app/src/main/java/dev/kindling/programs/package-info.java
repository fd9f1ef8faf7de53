/**
 * Nurture programs in the app (SPEC §11): programs and their versions, enrollments as rows swept by due time,
 * the event path that moves triggers on as activities arrive, effects executed through the capabilities that own
 * them, the API, reports and the builder. The decisions are the engine's ({@code dev.kindling.engine.program}).
 */
package dev.kindling.programs;

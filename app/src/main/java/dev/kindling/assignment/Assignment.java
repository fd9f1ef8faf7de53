package dev.kindling.assignment;

import java.time.Instant;

/**
 * One recorded assignment: the prospect's owner became {@code userId} at {@code at}; {@code teamId} is the team it
 * was chosen in (round-robin, a territory's team), null for a direct assignment; {@code cause} says who decided
 * ({@code stage:MQL}, {@code rule:12}, {@code user:4}); {@code forced} when it replaced an owner. {@code id} is the
 * {@code assignment} row, a stable key for what follows from it (a notice's dedupe key).
 */
public record Assignment(
        long prospectId, long userId, Long teamId, Instant at, String cause, boolean forced, long id) {}

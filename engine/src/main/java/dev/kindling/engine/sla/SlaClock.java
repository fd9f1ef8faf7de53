package dev.kindling.engine.sla;

import java.time.Duration;
import java.time.Instant;

/**
 * The SLA state of one handed-off lead at an instant. A lead is first contacted by its first attempt or its first
 * outcome (accepted, rejected, converted), whichever came first — an outcome without a logged attempt still means
 * someone looked at it. The verdict is final once contacted (MET within the window, BREACHED after it) or once the
 * window passed without contact (BREACHED, also when the contact comes later).
 */
public final class SlaClock {

    private SlaClock() {
    }

    /**
     * A lead's SLA at {@code now}: its state, when it is due and becomes at risk, the share of the window used
     * (capped at 100 for display) and {@code nextCheckAt}, the instant the state changes next without anything
     * else happening (null when the state is final) — what a sweeper stores and waits for.
     */
    public record Status(SlaState state, Instant dueAt, Instant atRiskAt, int percentUsed, Instant nextCheckAt) {
    }

    /**
     * @param assignedAt when the lead was assigned (the window starts)
     * @param firstTouchAt its first attempt or outcome, null when none yet
     * @param now the instant asked about
     */
    public static Status evaluate(SlaPolicy policy, Instant assignedAt, Instant firstTouchAt, Instant now) {
        Instant due = policy.dueAt(assignedAt);
        Instant atRisk = policy.atRiskAt(assignedAt);
        if (firstTouchAt != null && !firstTouchAt.isAfter(now)) {
            SlaState verdict = firstTouchAt.isAfter(due) ? SlaState.BREACHED : SlaState.MET;
            return new Status(verdict, due, atRisk, percent(policy, assignedAt, firstTouchAt), null);
        }
        int used = percent(policy, assignedAt, now);
        if (now.isAfter(due)) {
            return new Status(SlaState.BREACHED, due, atRisk, used, null);
        }
        if (!now.isBefore(atRisk)) {
            // due itself is still in time; the breach is the first instant after it
            return new Status(SlaState.AT_RISK, due, atRisk, used, due.plusNanos(1_000));
        }
        return new Status(SlaState.ON_TRACK, due, atRisk, used, atRisk);
    }

    private static int percent(SlaPolicy policy, Instant assignedAt, Instant at) {
        Duration used = policy.elapsed(assignedAt, at);
        long share = used.toMillis() * 100 / policy.firstContact().toMillis();
        return (int) Math.min(100, Math.max(0, share));
    }
}

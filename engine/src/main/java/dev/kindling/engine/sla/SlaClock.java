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

    private SlaClock() {}

    /**
     * A lead's SLA at {@code now}: its state, when it is due and becomes at risk, the share of the window used
     * (capped at 100 for display) and {@code nextCheckAt}, the instant the state changes next without anything
     * else happening (null when the state is final) — what a sweeper stores and waits for.
     */
    public record Status(SlaState state, Instant dueAt, Instant atRiskAt, int percentUsed, Instant nextCheckAt) {}

    /**
     * The instants a handoff's SLA was given when it opened: its window starts at {@code assignedAt}, is at risk from
     * {@code atRiskAt} and due at {@code dueAt}. Stored with the handoff, so a later policy change does not move them.
     */
    public record Window(Instant assignedAt, Instant atRiskAt, Instant dueAt) {}

    /**
     * @param assignedAt when the lead was assigned (the window starts)
     * @param firstTouchAt its first attempt or outcome, null when none yet
     * @param now the instant asked about
     */
    public static Status evaluate(SlaPolicy policy, Instant assignedAt, Instant firstTouchAt, Instant now) {
        return evaluate(
                policy.window(assignedAt),
                firstTouchAt,
                now,
                at -> percent(policy.elapsed(assignedAt, at), policy.firstContact()));
    }

    /**
     * A handoff's SLA at {@code now} by the window it was given ({@link SlaPolicy#window}), whatever the policy is
     * now. The share used is of the window's wall-clock span (with business hours the span includes closed hours).
     */
    public static Status evaluate(Window window, Instant firstTouchAt, Instant now) {
        Duration span = Duration.between(window.assignedAt(), window.dueAt());
        return evaluate(
                window,
                firstTouchAt,
                now,
                at -> percent(
                        at.isAfter(window.assignedAt()) ? Duration.between(window.assignedAt(), at) : Duration.ZERO,
                        span));
    }

    private static Status evaluate(
            Window window, Instant firstTouchAt, Instant now, java.util.function.Function<Instant, Integer> percentAt) {
        Instant due = window.dueAt();
        Instant atRisk = window.atRiskAt();
        if (firstTouchAt != null && !firstTouchAt.isAfter(now)) {
            SlaState verdict = firstTouchAt.isAfter(due) ? SlaState.BREACHED : SlaState.MET;
            return new Status(verdict, due, atRisk, percentAt.apply(firstTouchAt), null);
        }
        int used = percentAt.apply(now);
        if (now.isAfter(due)) {
            return new Status(SlaState.BREACHED, due, atRisk, used, null);
        }
        if (!now.isBefore(atRisk)) {
            // due itself is still in time; the breach is the first instant after it
            return new Status(SlaState.AT_RISK, due, atRisk, used, due.plusNanos(1_000));
        }
        return new Status(SlaState.ON_TRACK, due, atRisk, used, atRisk);
    }

    private static int percent(Duration used, Duration window) {
        if (window.isZero() || window.isNegative()) {
            return 100;
        }
        long share = used.toMillis() * 100 / window.toMillis();
        return (int) Math.min(100, Math.max(0, share));
    }
}

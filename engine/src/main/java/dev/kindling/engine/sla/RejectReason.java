package dev.kindling.engine.sla;

/**
 * Why inside sales sent a lead back to marketing (SPEC §9), plus {@link #NO_RESPONSE}, the recycle the SLA's
 * minimum number of attempts guards.
 */
public enum RejectReason {
    NOT_READY,
    NO_BUDGET,
    WRONG_PERSON,
    BAD_DATA,
    COMPETITOR,
    NO_RESPONSE,
    OTHER;

    /**
     * Whether a reject for this reason is a recycle for no response: {@code NO_RESPONSE} always, and
     * {@code NOT_READY} when no attempt ever reached the person ({@code connected} false) — "not ready" can then only
     * be a guess, which is what the minimum number of attempts is there to prevent.
     */
    public boolean isNoResponse(boolean connected) {
        return this == NO_RESPONSE || (this == NOT_READY && !connected);
    }

    /**
     * Whether the policy allows this reject: a no-response recycle needs at least {@link SlaPolicy#minAttempts()}
     * attempts; every other reason is allowed at once.
     */
    public boolean isAllowed(SlaPolicy policy, int attempts, boolean connected) {
        return !isNoResponse(connected) || attempts >= policy.minAttempts();
    }
}

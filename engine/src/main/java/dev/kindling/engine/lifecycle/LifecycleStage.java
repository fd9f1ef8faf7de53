package dev.kindling.engine.lifecycle;

/**
 * The default stage model (SPEC §5). Visitors are {@link #ANONYMOUS}; a prospect starts
 * {@link #CAPTURED}. The order of the constants is the success path, used where "furthest
 * stage" matters (merges); {@link #RECYCLED} and {@link #DISQUALIFIED} are off that path.
 */
public enum LifecycleStage {
    ANONYMOUS,
    CAPTURED,
    ENGAGED,
    MQL,
    SAL,
    SQL,
    CUSTOMER,
    RECYCLED,
    DISQUALIFIED;

    public boolean isOnSuccessPath() {
        return this != RECYCLED && this != DISQUALIFIED;
    }
}

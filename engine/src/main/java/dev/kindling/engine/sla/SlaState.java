package dev.kindling.engine.sla;

/** Where a handed-off lead stands against its first-contact window. */
public enum SlaState {
    /** Not contacted yet; less than the at-risk share of the window used. */
    ON_TRACK,
    /** Not contacted yet; at least the at-risk share of the window used, not yet past due. */
    AT_RISK,
    /** Past due without a first contact (stays so when the contact comes late). */
    BREACHED,
    /** First contacted (an attempt or an outcome) within the window. */
    MET;

    /** Whether the state can no longer change. */
    public boolean isFinal() {
        return this == BREACHED || this == MET;
    }
}

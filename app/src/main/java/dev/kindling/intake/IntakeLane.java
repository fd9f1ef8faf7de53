package dev.kindling.intake;

/**
 * One intake thread's share of the queue, lane {@code index} of {@code count}: the activities of the prospects whose id
 * is {@code index} modulo {@code count}, and lane 0 also those that name no prospect yet (found or made by their email
 * as they are processed). A prospect's activities are all in one lane, in id order, so the lanes' transactions lock
 * disjoint prospects; an email's activity that turns out to be another lane's prospect waits for that prospect's lock,
 * as between instances (docs/architecture.md, "Intake").
 */
record IntakeLane(int index, int count) {

    static final IntakeLane ALL = new IntakeLane(0, 1);

    IntakeLane {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("lane " + index + " of " + count);
        }
    }

    /** The claim's condition on {@code activity_queue}'s {@code prospect_id}; true for the only lane. */
    String condition() {
        if (count == 1) {
            return "TRUE";
        }
        String mine = "mod(prospect_id, " + count + ") = " + index;
        return index == 0 ? "(prospect_id IS NULL OR " + mine + ")" : "(prospect_id IS NOT NULL AND " + mine + ")";
    }
}

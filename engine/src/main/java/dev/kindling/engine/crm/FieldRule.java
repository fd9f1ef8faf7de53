package dev.kindling.engine.crm;

/**
 * Who wins a field changed on both sides since the last sync. A change made on one side only always reaches the
 * other (unless {@link #DONT_SYNC}): the rule settles conflicts, so a value never reverts because the other side
 * merely still held the old one.
 */
public enum FieldRule {
    /** Kindling's value wins a conflict. */
    KINDLING_WINS,
    /** Salesforce's value wins a conflict. */
    SALESFORCE_WINS,
    /** The value changed last wins, by the field's own change time (not the record's). */
    MOST_RECENT,
    /** The field is not synced either way. */
    DONT_SYNC
}

package dev.kindling.engine.crm;

/** Which way a mapped field may flow. */
public enum FieldDirection {
    /** Both ways, conflicts settled by the field's {@link FieldRule}. */
    BOTH,
    /** Salesforce → Kindling only (owner and Salesforce's own system fields). */
    TO_KINDLING,
    /** Kindling → Salesforce only (score, grade, stage, last activity: Kindling computes them). */
    TO_SALESFORCE
}

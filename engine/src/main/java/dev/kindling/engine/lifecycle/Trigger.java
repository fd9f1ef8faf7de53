package dev.kindling.engine.lifecycle;

/**
 * What can move a prospect from one stage to another: the column of {@link StageTable}. Triggers not
 * {@linkplain #implemented() implemented} yet belong to the sales and opportunity capabilities; they are in the
 * table so the model is complete and those capabilities only have to fire them.
 */
public enum Trigger {
    /** A prospect is created: form, import, API, an activity naming a new email. */
    CAPTURE(true, "a person becomes known"),
    /** An activity of the engaging set (click, form, webinar, download, chat, demo request, …). */
    ENGAGING_ACTIVITY(true, "an engaging activity"),
    /** Score and grade at or above the MQL thresholds. */
    MQL_THRESHOLD(true, "score and grade reach the MQL thresholds"),
    /** A hand-raise activity: a demo request, a "contact sales" form. */
    HAND_RAISE(true, "a hand-raise activity"),
    /** No activity for the inactivity period. */
    INACTIVITY(true, "no activity for the inactivity period"),
    /** The email's domain is a free-mail provider (when that policy is on). */
    FREE_MAIL_DOMAIN(true, "a free-mail address"),
    /** The email's domain is a competitor's. */
    COMPETITOR_DOMAIN(true, "a competitor's address"),
    /** The email address is not a valid address. */
    INVALID_EMAIL(true, "an invalid email address"),
    /** Inside sales accepts the MQL. */
    SALES_ACCEPTED(true, "inside sales accepts"),
    /** Inside sales rejects, with a reason. */
    SALES_REJECTED(true, "inside sales rejects"),
    /** Sales converts the lead. */
    SALES_CONVERTED(false, "sales converts"),
    /** An opportunity naming the prospect as a contact role is created. */
    OPPORTUNITY_CREATED(true, "an opportunity is created"),
    /** An opportunity naming the prospect is won. */
    OPPORTUNITY_WON(true, "an opportunity is won"),
    /** Every opportunity naming the prospect is closed lost. */
    ALL_OPPORTUNITIES_LOST(true, "all opportunities lost");

    private final boolean implemented;
    private final String description;

    Trigger(boolean implemented, String description) {
        this.implemented = implemented;
        this.description = description;
    }

    /** Whether anything fires this trigger yet; the sales and opportunity triggers come with those capabilities. */
    public boolean implemented() {
        return implemented;
    }

    /** In words, for the settings page. */
    public String description() {
        return description;
    }
}

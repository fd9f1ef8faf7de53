package dev.kindling.engine.sla;

import dev.kindling.engine.time.BusinessHours;
import java.time.Duration;
import java.time.Instant;

/**
 * The inside-sales SLA (SPEC §9, defaults from the seeds): first contact within {@code firstContact} of the
 * assignment (24 h), at least {@code minAttempts} attempts before a lead may be recycled for no response (3), and
 * {@code atRiskPercent} of the window used marks a lead at risk (75). With {@code businessHours} the window counts
 * working time only; without, wall-clock time.
 */
public record SlaPolicy(Duration firstContact, int minAttempts, int atRiskPercent, BusinessHours businessHours) {

    public static final SlaPolicy DEFAULT = new SlaPolicy(Duration.ofHours(24), 3, 75, null);

    public SlaPolicy {
        if (firstContact == null || firstContact.isNegative() || firstContact.isZero()) {
            throw new IllegalArgumentException("the first-contact window must be positive");
        }
        if (minAttempts < 0) {
            throw new IllegalArgumentException("the minimum number of attempts must not be negative");
        }
        if (atRiskPercent < 1 || atRiskPercent > 99) {
            throw new IllegalArgumentException("the at-risk share must be between 1 and 99 percent");
        }
    }

    /** When a lead assigned at {@code assignedAt} must have been first contacted. */
    public Instant dueAt(Instant assignedAt) {
        return after(assignedAt, firstContact);
    }

    /** When a lead assigned at {@code assignedAt} becomes at risk. */
    public Instant atRiskAt(Instant assignedAt) {
        return after(assignedAt, firstContact.multipliedBy(atRiskPercent).dividedBy(100));
    }

    /** The window a lead assigned at {@code assignedAt} is given: its at-risk and due instants under this policy. */
    public SlaClock.Window window(Instant assignedAt) {
        return new SlaClock.Window(assignedAt, atRiskAt(assignedAt), dueAt(assignedAt));
    }

    /** The window used between the assignment and {@code now}, in working time when hours are set. */
    public Duration elapsed(Instant assignedAt, Instant now) {
        if (businessHours != null) {
            return businessHours.between(assignedAt, now);
        }
        return now.isAfter(assignedAt) ? Duration.between(assignedAt, now) : Duration.ZERO;
    }

    private Instant after(Instant start, Duration work) {
        return businessHours == null ? start.plus(work) : businessHours.plus(start, work);
    }
}

package dev.kindling.engine.scoring;

/**
 * How scores decay with time.
 *
 * @param inactivityDays   after this many days without activity the inactivity action applies (once per
 *                         quiet period); {@code null}: no inactivity decay
 * @param inactivityAction set the score to 0 or subtract {@code subtractPoints}
 * @param subtractPoints   points taken for {@link InactivityAction#SUBTRACT}
 * @param halfLifeDays     activity points lose half their value every this many days; {@code null}: off
 */
public record DecayPolicy(
        Integer inactivityDays, InactivityAction inactivityAction, int subtractPoints, Integer halfLifeDays) {

    public static final int MAX_DAYS = 3650;

    /** What happens to an inactive prospect's score. */
    public enum InactivityAction {
        SET_TO_ZERO,
        SUBTRACT
    }

    /** SPEC §3: 90 days without activity sets the score to 0; no half-life. */
    public static final DecayPolicy DEFAULT = new DecayPolicy(90, InactivityAction.SET_TO_ZERO, 0, null);

    public DecayPolicy {
        if (inactivityAction == null) {
            inactivityAction = InactivityAction.SET_TO_ZERO;
        }
        if (inactivityDays != null && (inactivityDays < 1 || inactivityDays > MAX_DAYS)) {
            throw new IllegalArgumentException("inactivityDays must be between 1 and " + MAX_DAYS);
        }
        if (halfLifeDays != null && (halfLifeDays < 1 || halfLifeDays > MAX_DAYS)) {
            throw new IllegalArgumentException("halfLifeDays must be between 1 and " + MAX_DAYS);
        }
        if (subtractPoints < 0 || subtractPoints > 100_000) {
            throw new IllegalArgumentException("subtractPoints must be between 0 and 100000");
        }
    }
}

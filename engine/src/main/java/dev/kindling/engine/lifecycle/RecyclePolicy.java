package dev.kindling.engine.lifecycle;

import java.util.Objects;

/**
 * What recycling does to a prospect's score, so a recycled lead re-earns qualification instead of bouncing back to
 * MQL on its next page view with the score that qualified it (Marketo's and Pardot's practice). Applied to every move
 * into RECYCLED — a sales reject, all deals lost, inactivity, a user's or a rule's move — as a RESET entry of the
 * score ledger (so a user can undo it like any reset).
 *
 * <ul>
 * <li>{@link Mode#RESET} (the default): the score goes to 0 (the scoring floor when that is higher);</li>
 * <li>{@link Mode#SUBTRACT}: {@code points} are taken off (never below the floor);</li>
 * <li>{@link Mode#REQUIRE_NEW_POINTS}: the score is lowered to {@code points} below the MQL score (when it is above
 *     that), so exactly {@code points} new points requalify it; a lower score is kept.</li>
 * </ul>
 *
 * @param points the N of SUBTRACT and REQUIRE_NEW_POINTS (1 … {@value #MAX_POINTS}); 0 for RESET
 */
public record RecyclePolicy(Mode mode, int points) {

    /** How the score is treated on recycling. */
    public enum Mode {
        RESET,
        SUBTRACT,
        REQUIRE_NEW_POINTS
    }

    public static final int MAX_POINTS = 100_000;

    public static final RecyclePolicy DEFAULT = new RecyclePolicy(Mode.RESET, 0);

    public RecyclePolicy {
        Objects.requireNonNull(mode, "mode");
        if (mode == Mode.RESET ? points != 0 : points < 1 || points > MAX_POINTS) {
            throw new IllegalArgumentException(
                    mode == Mode.RESET ? "RESET takes no points" : mode + " needs points from 1 to " + MAX_POINTS);
        }
    }

    /**
     * The score a prospect recycled with {@code score} is set to, given the MQL score and the scoring floor; never
     * above {@code score} (recycling takes points, it never gives any).
     */
    public int scoreAfter(int score, int mqlScore, int floor) {
        int target = switch (mode) {
            case RESET -> Math.max(0, floor);
            case SUBTRACT -> Math.max(floor, score - points);
            case REQUIRE_NEW_POINTS -> Math.max(floor, mqlScore - points);
        };
        return Math.min(score, target);
    }

    /** How the ledger names it: {@code RECYCLE: score reset to 0}, {@code RECYCLE: -20 points}, … */
    public String describe() {
        return switch (mode) {
            case RESET -> "RECYCLE: score reset";
            case SUBTRACT -> "RECYCLE: -" + points + " points";
            case REQUIRE_NEW_POINTS -> "RECYCLE: " + points + " new points needed to requalify";
        };
    }
}

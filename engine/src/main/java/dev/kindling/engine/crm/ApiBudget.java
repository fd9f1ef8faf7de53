package dev.kindling.engine.crm;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The share of the org's daily API allocation Kindling may use, and the pacing that keeps it there. Salesforce
 * reports the org's usage on every answer ({@code Sforce-Limit-Info: api-usage=25/5000}, possibly followed by
 * {@code ; per-app-api-usage=…}). Kindling's allowance is {@code share × max}; the calls left are spread over the rest
 * of the day, so a backlog slows the sync down (and the console says so) rather than exhausting the org. It also
 * stops when the whole org is within the other apps' part of the allocation.
 */
public final class ApiBudget {

    private static final Pattern USAGE = Pattern.compile("(?:^|[;,\\s])api-usage=(\\d+)/(\\d+)");

    private ApiBudget() {}

    /** The org's usage as reported: calls used and the daily maximum. */
    public record Usage(long used, long max) {}

    /** The calls the coming cycle may make, and why fewer than wanted (null when not limited). */
    public record Pace(long calls, String limitedBy) {

        public boolean slowed() {
            return limitedBy != null;
        }
    }

    /** The usage in a {@code Sforce-Limit-Info} header, or {@code null} when it carries none. */
    public static Usage parse(String header) {
        if (header == null) {
            return null;
        }
        Matcher m = USAGE.matcher(header);
        return m.find() ? new Usage(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))) : null;
    }

    /**
     * How many calls the next cycle may make.
     *
     * @param usage         the org's last reported usage
     * @param sharePercent  Kindling's share of the daily maximum, 1–100
     * @param usedByKindling Kindling's own calls in the last 24 hours
     * @param cyclesLeft    cycles left until the allocation renews (at least 1)
     * @param wanted        calls the cycle would make without a limit
     */
    public static Pace pace(Usage usage, int sharePercent, long usedByKindling, long cyclesLeft, long wanted) {
        if (sharePercent < 1 || sharePercent > 100) {
            throw new IllegalArgumentException("share " + sharePercent);
        }
        long allowance = usage.max() * sharePercent / 100;
        long left = Math.max(0, allowance - usedByKindling);
        long orgLeft = Math.max(0, usage.max() - usage.used());
        if (left == 0 || orgLeft == 0) {
            return new Pace(
                    0,
                    left == 0
                            ? "Kindling's share of the daily API allocation is used up"
                            : "the org's daily API allocation is used up");
        }
        long perCycle = Math.max(1, left / Math.max(1, cyclesLeft));
        long allowed = Math.min(Math.min(perCycle, orgLeft), left);
        if (wanted <= allowed) {
            return new Pace(wanted, null);
        }
        return new Pace(
                allowed,
                "API budget: " + allowed + " of " + wanted + " calls this cycle (" + left + " of " + allowance
                        + " left today)");
    }
}

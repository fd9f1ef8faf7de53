package dev.kindling.engine.attribution;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shares an opportunity's amount among its touches under a model, exact to the cent.
 *
 * <p>The touches that count are those strictly before the basis's milestone (creation for {@code PIPELINE}, close for
 * {@code WON}) and not older than {@code lookbackDays} before it; equal touches count once. Of these, the key
 * positions are the first touch, the lead creation (the last touch at or before the lead's capture), the
 * opportunity creation (the last touch before the creation) and the closed-won (the last touch before the close); a
 * position without a touch of its own falls on the first touch. Positions on the same touch add their weights; when
 * there are no other touches, the others' share is spread over the key touches in proportion to their weights. Each
 * touch gets {@code floor(amount × weight / Σ weights)} cents and the remainder goes to the largest share (the
 * earliest on a tie), so the credits add up to the amount exactly. No touch (or no primary campaign for
 * {@code PRIMARY_CAMPAIGN}): the whole amount is one credit without a campaign, the {@code (no touch)} row.
 */
public final class Attribution {

    public static final int DEFAULT_LOOKBACK_DAYS = 365;
    public static final double DEFAULT_HALF_LIFE_DAYS = 7;

    private static final double SECONDS_PER_DAY = 86_400;

    private Attribution() {}

    /** The milestone the basis credits from: the creation ({@code PIPELINE}) or the close ({@code WON}). */
    public static Instant milestone(Opportunity opportunity, Basis basis) {
        Instant at = basis == Basis.PIPELINE ? opportunity.createdAt() : opportunity.closedAt();
        if (at == null) {
            throw new IllegalArgumentException("a WON basis needs a closed opportunity");
        }
        return at;
    }

    /** The touches that may earn credit: before the milestone, within the lookback, each once, in time order. */
    public static List<Touch> eligible(Opportunity opportunity, Basis basis, int lookbackDays) {
        if (lookbackDays < 0) {
            throw new IllegalArgumentException("lookbackDays must be >= 0");
        }
        Instant milestone = milestone(opportunity, basis);
        Instant earliest = milestone.minus(Duration.ofDays(lookbackDays));
        return opportunity.touches().stream()
                .filter(t -> t.at().isBefore(milestone) && !t.at().isBefore(earliest))
                .distinct()
                .sorted(Touch.ORDER)
                .toList();
    }

    /** The credits of one opportunity; their cents add up to its amount, every credit is ≥ 0. */
    public static List<Credit> credit(
            Opportunity opportunity, AttributionModel model, Basis basis, int lookbackDays, double halfLifeDays) {
        if (!model.supports(basis)) {
            throw new IllegalArgumentException(model + " cannot credit the " + basis + " basis");
        }
        if (!(halfLifeDays > 0)) {
            throw new IllegalArgumentException("halfLifeDays must be > 0");
        }
        long amount = opportunity.amountCents();
        if (model == AttributionModel.PRIMARY_CAMPAIGN) {
            return List.of(new Credit(opportunity.primaryCampaignId(), null, 1, amount));
        }
        List<Touch> touches = eligible(opportunity, basis, lookbackDays);
        if (touches.isEmpty()) {
            return List.of(new Credit(null, null, 1, amount));
        }
        BigDecimal[] weights = weights(touches, opportunity, model, basis, halfLifeDays);
        return allocate(touches, weights, amount);
    }

    private static BigDecimal[] weights(
            List<Touch> touches, Opportunity o, AttributionModel model, Basis basis, double halfLifeDays) {
        int n = touches.size();
        BigDecimal[] w = new BigDecimal[n];
        java.util.Arrays.fill(w, BigDecimal.ZERO);
        int last = n - 1;
        switch (model) {
            case FIRST_TOUCH -> w[0] = BigDecimal.ONE;
            case LAST_TOUCH -> w[last] = BigDecimal.ONE;
            case LINEAR -> java.util.Arrays.fill(w, BigDecimal.ONE);
            case TIME_DECAY -> {
                Instant milestone = milestone(o, basis);
                for (int i = 0; i < n; i++) {
                    double days =
                            Duration.between(touches.get(i).at(), milestone).toSeconds() / SECONDS_PER_DAY;
                    w[i] = BigDecimal.valueOf(Math.pow(2, -days / halfLifeDays));
                }
            }
            case U_SHAPED -> positions(w, new int[] {0, lead(touches, o)}, new long[] {400, 400}, 200);
            case W_SHAPED ->
                positions(w, new int[] {0, lead(touches, o), created(touches, o)}, new long[] {300, 300, 300}, 100);
            case FULL_PATH ->
                positions(
                        w,
                        new int[] {0, lead(touches, o), created(touches, o), last},
                        new long[] {225, 225, 225, 225},
                        100);
            case PRIMARY_CAMPAIGN -> throw new IllegalStateException("not touch-based");
        }
        if (java.util.Arrays.stream(w).allMatch(x -> x.signum() == 0)) {
            // time decay underflow over a long lookback: the latest touch is the nearest to the milestone
            w[last] = BigDecimal.ONE;
        }
        return w;
    }

    /**
     * Position-based weights in per mille: each key position's weight (added when positions fall on the same touch),
     * the others' per mille split evenly over the other touches; scaled by the number of others so all stay integers.
     */
    private static void positions(BigDecimal[] w, int[] positions, long[] weights, long others) {
        Map<Integer, Long> keys = new LinkedHashMap<>();
        for (int k = 0; k < positions.length; k++) {
            keys.merge(positions[k], weights[k], Long::sum);
        }
        int otherCount = w.length - keys.size();
        long scale = Math.max(otherCount, 1);
        for (int i = 0; i < w.length; i++) {
            Long key = keys.get(i);
            w[i] = BigDecimal.valueOf(key != null ? key * scale : others);
        }
    }

    /** The lead-creation position: the last touch at or before the lead's capture; the first touch when none. */
    static int lead(List<Touch> touches, Opportunity o) {
        return lastAtOrBefore(touches, o.leadCreatedAt(), true);
    }

    /** The opportunity-creation position: the last touch before the creation; the first touch when none. */
    static int created(List<Touch> touches, Opportunity o) {
        return lastAtOrBefore(touches, o.createdAt(), false);
    }

    private static int lastAtOrBefore(List<Touch> touches, Instant at, boolean inclusive) {
        int found = 0;
        if (at == null) {
            return found;
        }
        for (int i = 0; i < touches.size(); i++) {
            Instant t = touches.get(i).at();
            if (t.isBefore(at) || (inclusive && t.equals(at))) {
                found = i;
            }
        }
        return found;
    }

    private static List<Credit> allocate(List<Touch> touches, BigDecimal[] weights, long amount) {
        BigDecimal sum = BigDecimal.ZERO;
        int largest = 0;
        for (int i = 0; i < weights.length; i++) {
            sum = sum.add(weights[i]);
            if (weights[i].compareTo(weights[largest]) > 0) {
                largest = i;
            }
        }
        BigDecimal total = BigDecimal.valueOf(amount);
        long[] cents = new long[weights.length];
        long given = 0;
        for (int i = 0; i < weights.length; i++) {
            cents[i] =
                    total.multiply(weights[i]).divide(sum, 0, RoundingMode.DOWN).longValueExact();
            given += cents[i];
        }
        cents[largest] += amount - given;
        List<Credit> credits = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            if (weights[i].signum() > 0) {
                Touch t = touches.get(i);
                credits.add(new Credit(
                        t.campaignId(),
                        t,
                        weights[i].divide(sum, java.math.MathContext.DECIMAL64).doubleValue(),
                        cents[i]));
            }
        }
        return credits;
    }
}

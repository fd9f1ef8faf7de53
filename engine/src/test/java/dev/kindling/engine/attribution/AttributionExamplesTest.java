package dev.kindling.engine.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Hand-computed examples for every model (the same as in docs/attribution.md). One opportunity of 1,000.00: touches
 * of campaign 1 on day 0, 2 on day 10 (the lead's capture, so the lead-creation touch), 3 on day 20, 4 on day 30;
 * created on day 40; touch of campaign 5 on day 50; won on day 60; primary campaign 9.
 */
class AttributionExamplesTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Opportunity OPPORTUNITY = new Opportunity(
            100_000,
            day(10),
            day(40),
            day(60),
            9L,
            List.of(touch(3, 20), touch(1, 0), touch(5, 50), touch(2, 10), touch(4, 30)));

    static Instant day(int d) {
        return T0.plus(Duration.ofDays(d));
    }

    static Touch touch(long campaign, int day) {
        return new Touch(campaign, day(day), 1);
    }

    private static Map<Long, Long> cents(Opportunity o, AttributionModel model, Basis basis, double halfLife) {
        return Attribution.credit(o, model, basis, 365, halfLife).stream()
                .collect(Collectors.toMap(Credit::campaignId, Credit::cents, Long::sum));
    }

    private static Map<Long, Long> cents(AttributionModel model, Basis basis) {
        return cents(OPPORTUNITY, model, basis, 7);
    }

    @Test
    void firstTouchGivesEverythingToTheFirstTouch() {
        assertThat(cents(AttributionModel.FIRST_TOUCH, Basis.PIPELINE)).isEqualTo(Map.of(1L, 100_000L));
    }

    @Test
    void lastTouchGivesEverythingToTheLastTouchBeforeTheMilestone() {
        assertThat(cents(AttributionModel.LAST_TOUCH, Basis.PIPELINE)).isEqualTo(Map.of(4L, 100_000L));
        assertThat(cents(AttributionModel.LAST_TOUCH, Basis.WON)).isEqualTo(Map.of(5L, 100_000L));
    }

    @Test
    void linearSharesEquallyAmongTheTouchesBeforeCreation() {
        assertThat(cents(AttributionModel.LINEAR, Basis.PIPELINE))
                .isEqualTo(Map.of(1L, 25_000L, 2L, 25_000L, 3L, 25_000L, 4L, 25_000L));
    }

    @Test
    void uShapedGivesFortyPercentToFirstAndLeadCreationAndSplitsTwentyOverTheOthers() {
        assertThat(cents(AttributionModel.U_SHAPED, Basis.PIPELINE))
                .isEqualTo(Map.of(1L, 40_000L, 2L, 40_000L, 3L, 10_000L, 4L, 10_000L));
    }

    @Test
    void wShapedGivesThirtyPercentToFirstLeadAndOpportunityCreation() {
        assertThat(cents(AttributionModel.W_SHAPED, Basis.PIPELINE))
                .isEqualTo(Map.of(1L, 30_000L, 2L, 30_000L, 3L, 10_000L, 4L, 30_000L));
        assertThat(cents(AttributionModel.W_SHAPED, Basis.WON))
                .isEqualTo(Map.of(1L, 30_000L, 2L, 30_000L, 3L, 5_000L, 4L, 30_000L, 5L, 5_000L));
    }

    @Test
    void fullPathGivesTwentyTwoAndAHalfPercentToEachMilestoneOfAWonDeal() {
        assertThat(cents(AttributionModel.FULL_PATH, Basis.WON))
                .isEqualTo(Map.of(1L, 22_500L, 2L, 22_500L, 3L, 10_000L, 4L, 22_500L, 5L, 22_500L));
    }

    @Test
    void fullPathCannotCreditPipeline() {
        assertThatThrownBy(() -> Attribution.credit(OPPORTUNITY, AttributionModel.FULL_PATH, Basis.PIPELINE, 365, 7))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void timeDecayHalvesTheWeightEveryHalfLifeAndGivesTheRoundingRemainderToTheLargestShare() {
        // half-life 10 days: weights 1/16, 1/8, 1/4, 1/2 → shares 1/15, 2/15, 4/15, 8/15 of 100,000 cents
        // floors 6,666 + 13,333 + 26,666 + 53,333 = 99,998; the 2 cents left go to the largest share
        assertThat(cents(OPPORTUNITY, AttributionModel.TIME_DECAY, Basis.PIPELINE, 10))
                .isEqualTo(Map.of(1L, 6_666L, 2L, 13_333L, 3L, 26_666L, 4L, 53_335L));
    }

    @Test
    void primaryCampaignGivesEverythingToTheOpportunitysPrimaryCampaign() {
        assertThat(cents(AttributionModel.PRIMARY_CAMPAIGN, Basis.WON)).isEqualTo(Map.of(9L, 100_000L));
    }

    @Test
    void positionsOnTheSameTouchAddUpAndTheOthersShareIsSpreadOverTheKeysWhenThereAreNoOthers() {
        // captured on day 5: the lead-creation touch is the first touch (day 0); the other is on day 20
        Opportunity o = new Opportunity(100_000, day(5), day(40), null, null, List.of(touch(1, 0), touch(3, 20)));
        assertThat(cents(o, AttributionModel.U_SHAPED, Basis.PIPELINE, 7)).isEqualTo(Map.of(1L, 80_000L, 3L, 20_000L));
        // W: first 30 + lead 30 on day 0, opportunity creation 30 on day 20, no others: 60/90 and 30/90
        assertThat(cents(o, AttributionModel.W_SHAPED, Basis.PIPELINE, 7)).isEqualTo(Map.of(1L, 66_667L, 3L, 33_333L));
    }

    @Test
    void linearRoundingGivesTheRemainingCentToTheEarliestOfEqualShares() {
        Opportunity o =
                new Opportunity(10_000, day(0), day(40), null, null, List.of(touch(1, 0), touch(2, 10), touch(3, 20)));
        assertThat(Attribution.credit(o, AttributionModel.LINEAR, Basis.PIPELINE, 365, 7))
                .extracting(Credit::cents)
                .containsExactly(3_334L, 3_333L, 3_333L);
    }

    @Test
    void anOpportunityWithoutTouchesIsCreditedToNoCampaign() {
        Opportunity o = new Opportunity(5_000, day(0), day(40), null, null, List.of(touch(1, 41)));
        assertThat(Attribution.credit(o, AttributionModel.LINEAR, Basis.PIPELINE, 365, 7))
                .containsExactly(new Credit(null, null, 1, 5_000));
    }

    @Test
    void theLookbackLeavesOutOlderTouches() {
        assertThat(Attribution.credit(OPPORTUNITY, AttributionModel.FIRST_TOUCH, Basis.PIPELINE, 25, 7))
                .extracting(Credit::campaignId)
                .containsExactly(3L);
    }
}

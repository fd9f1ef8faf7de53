package dev.kindling.conditions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.engine.activity.ActivityType;
import dev.kindling.engine.condition.Condition;
import dev.kindling.engine.condition.Condition.ActivityCondition;
import dev.kindling.engine.condition.Condition.All;
import dev.kindling.engine.condition.Condition.ListMembership;
import dev.kindling.engine.condition.Condition.Not;
import dev.kindling.engine.condition.Condition.ScoreCondition;
import dev.kindling.engine.condition.Operator;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionNeedsTest {

    @Test
    void aConditionWithoutActivityOrListLeavesNeedsNothingBeyondTheRow() {
        ConditionNeeds needs = ConditionNeeds.of(new ScoreCondition(Operator.GTE, List.of(50L)));
        assertThat(needs.activities()).isFalse();
        assertThat(needs.lists()).isFalse();
    }

    @Test
    void activityNeedsAreTheUnionOfTypesAndTheLongestWindow() {
        Condition condition = new All(List.of(
                new ActivityCondition(ActivityType.EMAIL_CLICK, null, 1, 30L, true),
                new Not(new ActivityCondition(ActivityType.FORM_SUBMIT, null, 2, 90L, false)),
                new ListMembership(4)));
        ConditionNeeds needs = ConditionNeeds.of(condition);
        assertThat(needs.activityTypes()).containsExactlyInAnyOrder(ActivityType.EMAIL_CLICK, ActivityType.FORM_SUBMIT);
        assertThat(needs.anyActivityType()).isFalse();
        assertThat(needs.activityDays()).isEqualTo(90L);
        assertThat(needs.lists()).isTrue();
    }

    @Test
    void oneUnboundedOrUntypedActivityLeafWidensTheNeedsToAllHistoryOrEveryType() {
        ConditionNeeds needs = ConditionNeeds.of(List.of(
                new ActivityCondition(ActivityType.EMAIL_CLICK, null, 1, 30L, true),
                new ActivityCondition(null, null, 1, null, true)));
        assertThat(needs.anyActivityType()).isTrue();
        assertThat(needs.activityDays()).isNull();
    }

    @Test
    void eachTypeIsNeededOnlyAsFarBackAsTheLongestWindowOfTheLeavesCountingIt() {
        ConditionNeeds needs = ConditionNeeds.of(List.of(
                new ActivityCondition(ActivityType.PAGE_VIEW, null, 1, 30L, true),
                new ActivityCondition(ActivityType.UNSUBSCRIBE, null, 1, null, true),
                new ActivityCondition(ActivityType.FORM_SUBMIT, null, 1, 365L, true),
                new ActivityCondition(null, null, 1, 90L, false)));
        assertThat(needs.counts(ActivityType.EMAIL_OPEN)).isTrue();
        assertThat(needs.windowDays(ActivityType.PAGE_VIEW)).isEqualTo(90L);
        assertThat(needs.windowDays(ActivityType.EMAIL_OPEN)).isEqualTo(90L);
        assertThat(needs.windowDays(ActivityType.FORM_SUBMIT)).isEqualTo(365L);
        assertThat(needs.windowDays(ActivityType.UNSUBSCRIBE)).isNull();
        assertThat(needs.activityDays()).isNull();
    }

    @Test
    void aTypeCountedByOneLeafOnlyKeepsThatLeafsWindowAndUncountedTypesAreNotNeeded() {
        ConditionNeeds needs = ConditionNeeds.of(new All(List.of(
                new ActivityCondition(ActivityType.EMAIL_CLICK, null, 2, 30L, true),
                new ActivityCondition(ActivityType.WEBINAR_ATTENDED, null, 1, null, true))));
        assertThat(needs.counts(ActivityType.PAGE_VIEW)).isFalse();
        assertThat(needs.windowDays(ActivityType.EMAIL_CLICK)).isEqualTo(30L);
        assertThat(needs.counts(ActivityType.WEBINAR_ATTENDED)).isTrue();
        assertThat(needs.windowDays(ActivityType.WEBINAR_ATTENDED)).isNull();
    }

    @Test
    void onlyAConditionWithAnOpportunityLeafNeedsTheOpportunities() {
        Condition opportunity =
                new Condition.OpportunityCondition(java.util.Set.of(), 90L, null, null, java.util.Set.of());
        assertThat(ConditionNeeds.of(new ScoreCondition(Operator.GTE, List.of(50L)))
                        .opportunities())
                .isFalse();
        assertThat(ConditionNeeds.of(new Not(opportunity)).opportunities()).isTrue();
        assertThat(ConditionNeeds.of(List.of(new ListMembership(4), new All(List.of(opportunity)))))
                .satisfies(
                        n -> assertThat(n.opportunities()).isTrue(),
                        n -> assertThat(n.lists()).isTrue());
    }
}

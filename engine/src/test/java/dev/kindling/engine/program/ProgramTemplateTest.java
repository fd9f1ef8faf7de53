package dev.kindling.engine.program;

import static dev.kindling.engine.program.Journey.MONDAY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.engine.activity.ActivityType;
import dev.kindling.engine.automation.Action.AdjustScore;
import dev.kindling.engine.automation.Action.NotifyUser;
import dev.kindling.engine.automation.Action.SendEmail;
import dev.kindling.engine.condition.ProspectFacts;
import dev.kindling.engine.lifecycle.LifecycleStage;
import dev.kindling.engine.program.Enrollment.Status;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ProgramTemplateTest {

    /** The template with every placeholder filled with a template id equal to its slot name. */
    static ProgramDefinition filled(ProgramTemplate template) {
        ProgramDefinition definition = template.create(1);
        Map<String, String> emails = new HashMap<>();
        definition.emailPlaceholders().forEach(slot -> emails.put(slot, slot));
        return definition.withEmails(emails);
    }

    static List<String> sent(Journey journey) {
        return journey.actions().stream()
                .filter(a -> a instanceof SendEmail)
                .map(a -> ((SendEmail) a).templateId())
                .toList();
    }

    @ParameterizedTest
    @EnumSource(ProgramTemplate.class)
    void everyTemplateValidatesAndStartsOnceItsEmailsAreChosen(ProgramTemplate template) {
        ProgramDefinition definition = template.create(1);
        assertThat(definition.name()).isEqualTo(template.title());
        assertThat(ProgramValidator.validate(definition)).isEmpty();
        assertThat(definition.emailPlaceholders()).isNotEmpty();
        assertThat(ProgramValidator.readyToStart(definition))
                .hasSize(definition.emailPlaceholders().size())
                .allSatisfy(e -> assertThat(e.message()).startsWith("choose the email for"));
        assertThat(ProgramValidator.readyToStart(filled(template))).isEmpty();
    }

    @Test
    void webinarAttendeesGetThanksAndASurveyTheOthersTheRecording() {
        var attendee = Journey.of(filled(ProgramTemplate.WEBINAR_FOLLOW_UP)).start();
        attendee.after(Duration.ofDays(1)).did(ActivityType.WEBINAR_ATTENDED, Map.of());
        attendee.after(Duration.ofDays(1));
        assertThat(sent(attendee)).containsExactly("webinar-reminder", "thank-you", "survey");
        attendee.after(Duration.ofDays(1)).did(ActivityType.EMAIL_CLICK, Map.of("templateId", "survey"));
        assertThat(attendee.actions()).last().isEqualTo(new AdjustScore(10));
        assertThat(attendee.enrollment.status()).isEqualTo(Status.COMPLETED);

        var absent =
                Journey.of(filled(ProgramTemplate.WEBINAR_FOLLOW_UP)).start().after(Duration.ofDays(9));
        assertThat(sent(absent)).containsExactly("webinar-reminder", "recording");
        assertThat(absent.enrollment.status()).isEqualTo(Status.COMPLETED);
    }

    @Test
    void dormantProspectsGetContentThenAnotherAngleThenASlowerPaceUntilAYearWithoutEngagement() {
        var journey = Journey.of(filled(ProgramTemplate.DORMANT_REACTIVATION));
        journey.happenedQuietly(ActivityType.PAGE_VIEW, MONDAY.minus(Duration.ofDays(200)), Map.of("url", "x"));
        journey.start().after(Duration.ofDays(400));

        assertThat(sent(journey)).startsWith("reactivation-content", "other-angle", "digest");
        assertThat(journey.enrollment.status()).isEqualTo(Status.COMPLETED);
        assertThat(journey.executed()).last().isEqualTo("end");
        assertThat(journey.executions())
                .filteredOn(e -> e.stepId().equals("given-up"))
                .last()
                .satisfies(e -> assertThat(e.passed()).isEqualTo(Effect.Passed.YES));
    }

    @Test
    void aDormantProspectThatClicksGetsTheWhitepaperAndPoints() {
        var journey = Journey.of(filled(ProgramTemplate.DORMANT_REACTIVATION)).start();
        journey.after(Duration.ofDays(2)).did(ActivityType.EMAIL_CLICK, Map.of("templateId", "reactivation-content"));
        assertThat(sent(journey)).containsExactly("reactivation-content", "whitepaper");
        assertThat(journey.actions()).last().isEqualTo(new AdjustScore(10));
    }

    @Test
    void aProspectActiveInTheLastSixMonthsIsNotReactivated() {
        var journey = Journey.of(filled(ProgramTemplate.DORMANT_REACTIVATION));
        journey.happenedQuietly(ActivityType.EMAIL_OPEN, MONDAY.minus(Duration.ofDays(20)), Map.of());
        journey.start();
        assertThat(journey.actions()).isEmpty();
        assertThat(journey.enrollment.status()).isEqualTo(Status.COMPLETED);
    }

    @Test
    void lostOpportunitiesGetContentByLostReasonAfterThreeMonthsAndSalesHearsOfAClick() {
        var journey = Journey.of(filled(ProgramTemplate.LOST_OPPORTUNITY_RE_ENGAGEMENT));
        journey.opportunities.add(lost(ProspectFacts.LostReason.COMPETITOR));
        journey.start().after(Duration.ofDays(89));
        assertThat(journey.actions()).isEmpty();
        journey.after(Duration.ofDays(1));
        assertThat(sent(journey)).containsExactly("lost-competitor");
        journey.after(Duration.ofDays(3)).did(ActivityType.EMAIL_CLICK, Map.of("templateId", "lost-competitor"));
        assertThat(journey.actions()).last().isEqualTo(new AdjustScore(15));
        assertThat(journey.actions())
                .filteredOn(a -> a instanceof NotifyUser)
                .singleElement()
                .satisfies(n ->
                        assertThat(((NotifyUser) n).userId()).as("the owner").isNull());

        var price = Journey.of(filled(ProgramTemplate.LOST_OPPORTUNITY_RE_ENGAGEMENT));
        price.opportunities.add(lost(ProspectFacts.LostReason.PRICE));
        assertThat(sent(price.start().after(Duration.ofDays(90)))).containsExactly("lost-price");
        var unknown = Journey.of(filled(ProgramTemplate.LOST_OPPORTUNITY_RE_ENGAGEMENT));
        unknown.opportunities.add(lost(ProspectFacts.LostReason.OTHER));
        unknown.start().after(Duration.ofDays(200));
        assertThat(sent(unknown)).containsExactly("lost-general", "lost-follow-up");
        assertThat(unknown.actions()).noneMatch(a -> a instanceof NotifyUser);
    }

    private static ProspectFacts.Opportunity lost(ProspectFacts.LostReason reason) {
        return new ProspectFacts.Opportunity(ProspectFacts.OpportunityStatus.LOST, null, null, Journey.MONDAY, reason);
    }

    @Test
    void customersGetOnboardedThenOfferedAnUpsell() {
        var journey = Journey.of(filled(ProgramTemplate.WON_CUSTOMER_ONBOARDING));
        journey.stage = LifecycleStage.CUSTOMER;
        journey.start().after(Duration.ofDays(8)).did(ActivityType.EMAIL_OPEN, Map.of("templateId", "getting-started"));
        journey.after(Duration.ofDays(90));
        assertThat(sent(journey)).containsExactly("welcome", "getting-started", "tips", "upsell");
        journey.did(ActivityType.EMAIL_CLICK, Map.of("templateId", "upsell"));
        assertThat(journey.actions()).last().isInstanceOf(NotifyUser.class);

        var silent = Journey.of(filled(ProgramTemplate.WON_CUSTOMER_ONBOARDING));
        silent.stage = LifecycleStage.RECYCLED;
        silent.start().after(Duration.ofDays(120));
        assertThat(sent(silent)).containsExactly("welcome", "getting-started", "getting-started-reminder", "tips");
        assertThat(silent.enrollment.status()).isEqualTo(Status.COMPLETED);
    }
}

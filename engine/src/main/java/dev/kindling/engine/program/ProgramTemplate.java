package dev.kindling.engine.program;

import dev.kindling.engine.activity.ActivityType;
import dev.kindling.engine.automation.Action.AdjustScore;
import dev.kindling.engine.automation.Action.NotifyUser;
import dev.kindling.engine.automation.Action.SendEmail;
import dev.kindling.engine.condition.Condition;
import dev.kindling.engine.condition.Condition.ActivityCondition;
import dev.kindling.engine.condition.Condition.ActivityFilter;
import dev.kindling.engine.condition.Condition.OpportunityCondition;
import dev.kindling.engine.condition.Condition.StageCondition;
import dev.kindling.engine.condition.ProspectFacts.LostReason;
import dev.kindling.engine.condition.ProspectFacts.OpportunityStatus;
import dev.kindling.engine.lifecycle.LifecycleStage;
import dev.kindling.engine.program.Step.ActionStep;
import dev.kindling.engine.program.Step.EndStep;
import dev.kindling.engine.program.Step.RuleStep;
import dev.kindling.engine.program.Step.Timing;
import dev.kindling.engine.program.Step.TriggerStep;
import dev.kindling.engine.program.Step.WaitStep;
import dev.kindling.engine.program.TriggerEvent.EmailClicked;
import dev.kindling.engine.program.TriggerEvent.EmailOpened;
import dev.kindling.engine.program.TriggerEvent.WebinarAttended;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The ready-made programs for the seeds' four scenarios (SPEC §11). Each is a valid version 1 whose emails are
 * placeholders ({@link ProgramDefinition#emailPlaceholders}) to fill with real templates and whose recipient lists
 * are to be chosen; {@link ProgramValidator#readyToStart} lists what is left to do.
 */
public enum ProgramTemplate {

    /** Reminder; attended? → thanks + survey : recording; a click on either scores. */
    WEBINAR_FOLLOW_UP(
            "Webinar follow-up",
            "A reminder before the webinar; attendees get a thank-you and a survey, the others the recording."),
    /** No engagement for 6 months → content; clicked? → whitepaper + score : another angle, then less often. */
    DORMANT_REACTIVATION(
            "Dormant reactivation",
            "Prospects with no engagement for 6 months get fresh content; a click brings a whitepaper and points, "
                    + "silence another angle and then a slower pace, until a year without engagement."),
    /** 3 months after a loss, content by lost reason; notify sales when the prospect re-engages. */
    LOST_OPPORTUNITY_RE_ENGAGEMENT(
            "Lost-opportunity re-engagement",
            "Three months after a lost deal, content chosen by the deal's lost reason; the owner "
                    + "is notified as soon as the prospect clicks."),
    /** Welcome, getting started, tips; after two months an upsell offer, and sales hears of interest. */
    WON_CUSTOMER_ONBOARDING(
            "Won-customer onboarding then upsell",
            "Welcome, getting-started and tips emails for new customers, then an upsell offer after two months; "
                    + "the owner is notified when the customer clicks it.");

    /** Activities that count as engagement for "no activity" (an email sent to the prospect does not). */
    static final List<ActivityType> ENGAGEMENT = List.of(
            ActivityType.PAGE_VIEW,
            ActivityType.FORM_SUBMIT,
            ActivityType.FILE_DOWNLOAD,
            ActivityType.TRACKED_LINK_CLICK,
            ActivityType.EMAIL_OPEN,
            ActivityType.EMAIL_CLICK,
            ActivityType.WEBINAR_ATTENDED,
            ActivityType.EVENT_ATTENDED,
            ActivityType.CHAT,
            ActivityType.DEMO_REQUEST);

    private final String title;
    private final String description;

    ProgramTemplate(String title, String description) {
        this.title = title;
        this.description = description;
    }

    public String title() {
        return title;
    }

    public String description() {
        return description;
    }

    /** A new program (version 1) with this template's steps. */
    public ProgramDefinition create(long programId) {
        return switch (this) {
            case WEBINAR_FOLLOW_UP -> webinar(programId);
            case DORMANT_REACTIVATION -> dormant(programId);
            case LOST_OPPORTUNITY_RE_ENGAGEMENT -> lost(programId);
            case WON_CUSTOMER_ONBOARDING -> onboarding(programId);
        };
    }

    private ProgramDefinition webinar(long programId) {
        return ProgramDefinition.builder(programId, title, "reminder")
                .step(send("reminder", "webinar-reminder", "attended"))
                .step(new TriggerStep("attended", new WebinarAttended(null), Timing.EXACTLY, 2, "thanks", "recording"))
                .step(send("thanks", "thank-you", "survey"))
                .step(send("survey", "survey", "survey-clicked"))
                .step(new TriggerStep(
                        "survey-clicked", new EmailClicked(null, null), Timing.UP_TO, 7, "score-survey", "end"))
                .step(new ActionStep("score-survey", new AdjustScore(10), "end"))
                .step(send("recording", "recording", "recording-clicked"))
                .step(new TriggerStep(
                        "recording-clicked", new EmailClicked(null, null), Timing.UP_TO, 7, "score-recording", "end"))
                .step(new ActionStep("score-recording", new AdjustScore(5), "end"))
                .step(new EndStep("end"))
                .build();
    }

    private ProgramDefinition dormant(long programId) {
        return ProgramDefinition.builder(programId, title, "dormant")
                .step(new RuleStep("dormant", noEngagementWithin(180), "content", "end"))
                .step(send("content", "reactivation-content", "clicked"))
                .step(new TriggerStep("clicked", new EmailClicked(null, null), Timing.UP_TO, 7, "whitepaper", "pause"))
                .step(send("whitepaper", "whitepaper", "score"))
                .step(new ActionStep("score", new AdjustScore(10), "end"))
                .step(WaitStep.days("pause", 14, "other-angle"))
                .step(send("other-angle", "other-angle", "clicked-again"))
                .step(new TriggerStep(
                        "clicked-again", new EmailClicked(null, null), Timing.UP_TO, 7, "whitepaper", "slow-down"))
                .step(WaitStep.days("slow-down", 60, "given-up"))
                .step(new RuleStep("given-up", noEngagementWithin(365), "end", "digest"))
                .step(send("digest", "digest", "digest-clicked"))
                .step(new TriggerStep(
                        "digest-clicked", new EmailClicked(null, null), Timing.UP_TO, 14, "whitepaper", "slow-down"))
                .step(new EndStep("end"))
                .build();
    }

    private ProgramDefinition lost(long programId) {
        return ProgramDefinition.builder(programId, title, "three-months")
                .step(WaitStep.days("three-months", 90, "back-in-pipeline"))
                .step(new RuleStep(
                        "back-in-pipeline",
                        new OpportunityCondition(Set.of(OpportunityStatus.OPEN), null, null, null, Set.of()),
                        "end",
                        "price"))
                .step(new RuleStep("price", lostReason(LostReason.PRICE), "price-content", "competitor"))
                .step(new RuleStep(
                        "competitor",
                        lostReason(LostReason.COMPETITOR, LostReason.FEATURES),
                        "competitor-content",
                        "timing"))
                .step(new RuleStep(
                        "timing",
                        lostReason(LostReason.TIMING, LostReason.NO_DECISION),
                        "timing-content",
                        "general-content"))
                .step(send("price-content", "lost-price", "re-engaged"))
                .step(send("competitor-content", "lost-competitor", "re-engaged"))
                .step(send("timing-content", "lost-timing", "re-engaged"))
                .step(send("general-content", "lost-general", "re-engaged"))
                .step(new TriggerStep(
                        "re-engaged", new EmailClicked(null, null), Timing.UP_TO, 14, "notify-sales", "month-later"))
                .step(new ActionStep(
                        "notify-sales",
                        new NotifyUser(
                                null,
                                null,
                                "A prospect of a lost opportunity re-engaged with the re-engagement program."),
                        "score"))
                .step(new ActionStep("score", new AdjustScore(15), "end"))
                .step(WaitStep.days("month-later", 30, "follow-up"))
                .step(send("follow-up", "lost-follow-up", "re-engaged-later"))
                .step(new TriggerStep(
                        "re-engaged-later", new EmailClicked(null, null), Timing.UP_TO, 14, "notify-sales", "end"))
                .step(new EndStep("end"))
                .build();
    }

    private ProgramDefinition onboarding(long programId) {
        return ProgramDefinition.builder(programId, title, "welcome")
                .step(send("welcome", "welcome", "first-week"))
                .step(WaitStep.days("first-week", 7, "getting-started"))
                .step(send("getting-started", "getting-started", "opened"))
                .step(new TriggerStep("opened", new EmailOpened(null), Timing.UP_TO, 7, "settling-in", "nudge"))
                .step(send("nudge", "getting-started-reminder", "settling-in"))
                .step(WaitStep.days("settling-in", 21, "tips"))
                .step(send("tips", "tips", "two-months"))
                .step(WaitStep.days("two-months", 60, "still-customer"))
                .step(new RuleStep(
                        "still-customer", new StageCondition(true, Set.of(LifecycleStage.CUSTOMER)), "upsell", "end"))
                .step(send("upsell", "upsell", "interested"))
                .step(new TriggerStep(
                        "interested", new EmailClicked(null, null), Timing.UP_TO, 14, "notify-owner", "end"))
                .step(new ActionStep(
                        "notify-owner", new NotifyUser(null, null, "A customer clicked the upsell offer."), "end"))
                .step(new EndStep("end"))
                .build();
    }

    private static ActionStep send(String id, String slot, String next) {
        return new ActionStep(id, SendEmail.placeholder(slot), next);
    }

    /** No engaging activity of any kind within the last {@code days} days (also true for the never active). */
    static Condition noEngagementWithin(long days) {
        List<Condition> none = new ArrayList<>();
        for (ActivityType type : ENGAGEMENT) {
            none.add(new ActivityCondition(type, ActivityFilter.NONE, 1, days, false));
        }
        return new Condition.All(none);
    }

    /** A deal the prospect is a contact on was lost for one of these reasons (the reason the seller recorded). */
    private static Condition lostReason(LostReason... reasons) {
        return new OpportunityCondition(Set.of(OpportunityStatus.LOST), null, null, null, Set.of(reasons));
    }
}

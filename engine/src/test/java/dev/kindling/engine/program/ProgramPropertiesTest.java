package dev.kindling.engine.program;

import static dev.kindling.engine.program.Journey.MONDAY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.engine.PropertyRuns;
import dev.kindling.engine.activity.ActivityType;
import dev.kindling.engine.automation.Action;
import dev.kindling.engine.automation.Action.AddToList;
import dev.kindling.engine.automation.Action.AdjustScore;
import dev.kindling.engine.automation.Action.ChangeStage;
import dev.kindling.engine.automation.Action.NotifyUser;
import dev.kindling.engine.automation.Action.SendEmail;
import dev.kindling.engine.condition.Condition;
import dev.kindling.engine.condition.Condition.FieldCondition;
import dev.kindling.engine.condition.Condition.ListMembership;
import dev.kindling.engine.condition.Condition.ScoreCondition;
import dev.kindling.engine.condition.FieldType;
import dev.kindling.engine.condition.Operator;
import dev.kindling.engine.lifecycle.LifecycleStage;
import dev.kindling.engine.program.Effect.StatusChanged;
import dev.kindling.engine.program.Enrollment.Status;
import dev.kindling.engine.program.Step.ActionStep;
import dev.kindling.engine.program.Step.EndStep;
import dev.kindling.engine.program.Step.RuleStep;
import dev.kindling.engine.program.Step.Timing;
import dev.kindling.engine.program.Step.TriggerStep;
import dev.kindling.engine.program.Step.WaitStep;
import dev.kindling.engine.time.BusinessHours;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Laws over random valid programs and random lives of a prospect (plain seeded generators; the case seed is in
 * every failure message): no idempotency key is ever executed twice, and after every advance an enrollment has
 * either finished, is paused, or waits for a due time strictly later than the advance — it never spins.
 */
class ProgramPropertiesTest {

    static final long RECIPIENTS = 1;
    static final long SUPPRESSION = 9;
    static final List<String> TEMPLATES = List.of("t1", "t2", "t3");

    @Test
    void randomValidProgramsNeverExecuteAStepTwiceAndAlwaysEndOrWait() {
        Random seeds = new Random(20260302);
        for (int i = 0, cases = PropertyRuns.cases(400, 4_000); i < cases; i++) {
            long seed = seeds.nextLong();
            Random random = new Random(seed);
            ProgramDefinition definition = randomProgram(random);
            check(seed, definition, random);
        }
    }

    @Test
    void theReadyMadeProgramsKeepTheLawsUnderRandomLives() {
        Random seeds = new Random(11);
        for (int i = 0, cases = PropertyRuns.cases(200, 2_000); i < cases; i++) {
            long seed = seeds.nextLong();
            Random random = new Random(seed);
            ProgramTemplate template = ProgramTemplate.values()[random.nextInt(ProgramTemplate.values().length)];
            ProgramDefinition definition = ProgramTemplateTest.filled(template);
            check(seed, definition, random);
        }
    }

    @Test
    void theGeneratorCoversEveryStepKindAndLoops() {
        Random random = new Random(5);
        Set<Class<?>> kinds = new HashSet<>();
        int withLoops = 0;
        for (int i = 0; i < 200; i++) {
            ProgramDefinition definition = randomProgram(random);
            definition.steps().forEach(s -> kinds.add(s.getClass()));
            boolean loops = definition.steps().stream()
                    .anyMatch(s -> s.branches().stream()
                            .anyMatch(b -> definition.steps().indexOf(definition.step(b.target()))
                                    <= definition.steps().indexOf(s)));
            withLoops += loops ? 1 : 0;
        }
        assertThat(kinds)
                .containsExactlyInAnyOrder(
                        ActionStep.class, RuleStep.class, TriggerStep.class, WaitStep.class, EndStep.class);
        assertThat(withLoops).isGreaterThan(40);
    }

    private static void check(long seed, ProgramDefinition definition, Random random) {
        try {
            assertThat(ProgramValidator.validate(definition))
                    .as("generated program is valid")
                    .isEmpty();
            live(definition, random);
        } catch (AssertionError e) {
            throw new AssertionError("case seed " + seed + " (" + definition + "): " + e.getMessage(), e);
        }
    }

    private static void live(ProgramDefinition definition, Random random) {
        Journey journey =
                new Journey(definition, MONDAY.plus(Duration.ofMinutes(random.nextInt(7 * 24 * 60))), RECIPIENTS);
        journey.start(random.nextInt(1000) + 1);
        boolean programPaused = false;
        int events = 40 + random.nextInt(120);
        for (int i = 0; i < events; i++) {
            int roll = random.nextInt(100);
            if (roll < 35) {
                Duration step = Duration.ofMinutes(random.nextInt(4 * 24 * 60));
                if (random.nextBoolean()) {
                    journey.after(step);
                } else {
                    journey.lateSweepAt(journey.now.plus(step));
                }
            } else if (roll < 65) {
                journey.now = journey.now.plusSeconds(random.nextInt(3600));
                journey.did(randomActivityType(random), randomProperties(random), random.nextInt(10) == 0);
            } else if (roll < 73) {
                if (journey.lists.contains(RECIPIENTS)) {
                    journey.leaveList(RECIPIENTS);
                } else {
                    journey.joinList(RECIPIENTS);
                }
            } else if (roll < 77) {
                if (journey.lists.contains(SUPPRESSION)) {
                    journey.leaveList(SUPPRESSION);
                } else {
                    journey.joinList(SUPPRESSION);
                }
            } else if (roll < 82) {
                journey.fields.put("optedOut", random.nextBoolean());
            } else if (roll < 88) {
                journey.score = random.nextInt(120);
                journey.stage = LifecycleStage.values()[1 + random.nextInt(LifecycleStage.values().length - 1)];
            } else if (roll < 96) {
                if (programPaused) {
                    journey.resumeProgram();
                } else {
                    journey.pauseProgram();
                }
                programPaused = !programPaused;
            } else {
                journey.advance(List.of());
            }
        }
        if (programPaused) {
            journey.resumeProgram();
        }
        journey.lists.remove(SUPPRESSION);
        journey.joinList(RECIPIENTS);
        for (int sweeps = 0; sweeps < 300 && journey.enrollment.status() == Status.ACTIVE; sweeps++) {
            journey.until(journey.enrollment.dueAt());
        }
        assertThat(journey.effects).noneMatch(e -> e instanceof StatusChanged s && s.to() == Status.EXITED);
        assertThat(journey.mostStepsInOneAdvance)
                .as("steps in one advance")
                .isLessThanOrEqualTo(definition.steps().size());
        assertThat(journey.enrollment.status()).isIn(Status.ACTIVE, Status.COMPLETED);
    }

    private static ActivityType randomActivityType(Random random) {
        List<ActivityType> types = List.of(
                ActivityType.EMAIL_OPEN,
                ActivityType.EMAIL_CLICK,
                ActivityType.FORM_SUBMIT,
                ActivityType.PAGE_VIEW,
                ActivityType.WEBINAR_ATTENDED,
                ActivityType.FILE_DOWNLOAD);
        return types.get(random.nextInt(types.size()));
    }

    private static Map<String, String> randomProperties(Random random) {
        Map<String, String> properties = new HashMap<>();
        properties.put("templateId", TEMPLATES.get(random.nextInt(TEMPLATES.size())));
        properties.put(
                "url",
                "https://acme.test/" + List.of("pricing", "docs/api", "blog").get(random.nextInt(3)));
        properties.put("linkUrl", properties.get("url"));
        properties.put("formName", List.of("Contact", "Newsletter").get(random.nextInt(2)));
        return properties;
    }

    /**
     * A random valid program: step i's forward targets are later steps (step i+1 first when nobody targets it yet,
     * so every step is reachable), the last step is an END, and the second branch of a rule or trigger may jump back
     * to an earlier WAIT of days — so every loop has a wait and every step can reach the END.
     */
    static ProgramDefinition randomProgram(Random random) {
        int n = 2 + random.nextInt(24);
        Set<Integer> targeted = new HashSet<>();
        List<Integer> waitsSoFar = new ArrayList<>();
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = "s" + i;
            if (i == n - 1) {
                steps.add(new EndStep(id));
                break;
            }
            int kind = random.nextInt(100);
            if (kind < 5 && targeted.contains(i + 1)) {
                steps.add(new EndStep(id));
                continue;
            }
            int forward = targeted.contains(i + 1) ? i + 1 + random.nextInt(n - 1 - i) : i + 1;
            targeted.add(forward);
            String next = "s" + forward;
            if (kind < 40) {
                steps.add(new ActionStep(id, randomAction(random), next));
            } else if (kind < 55) {
                if (random.nextInt(5) == 0) {
                    steps.add(WaitStep.until(id, MONDAY.plus(Duration.ofHours(random.nextInt(30 * 24))), next));
                } else {
                    steps.add(WaitStep.days(id, 1 + random.nextInt(10), next));
                    waitsSoFar.add(i);
                }
            } else {
                String other;
                if (!waitsSoFar.isEmpty() && random.nextInt(3) == 0) {
                    other = "s" + waitsSoFar.get(random.nextInt(waitsSoFar.size()));
                } else {
                    int target = i + 1 + random.nextInt(n - 1 - i);
                    targeted.add(target);
                    other = "s" + target;
                }
                boolean forwardIsYes = random.nextBoolean();
                String yes = forwardIsYes ? next : other;
                String no = forwardIsYes ? other : next;
                if (kind < 75) {
                    steps.add(new RuleStep(id, randomCondition(random), yes, no));
                } else {
                    steps.add(new TriggerStep(
                            id,
                            randomEvent(random),
                            random.nextBoolean() ? Timing.UP_TO : Timing.EXACTLY,
                            1 + random.nextInt(7),
                            yes,
                            no));
                }
            }
        }
        var builder = ProgramDefinition.builder(1 + random.nextInt(50), "Random", "s0")
                .recipients(RECIPIENTS)
                .reEntry(random.nextBoolean() ? ReEntry.NEVER : ReEntry.AFTER_COMPLETION)
                .steps(steps);
        if (random.nextBoolean()) {
            builder.suppressions(SUPPRESSION);
        }
        if (random.nextInt(3) == 0) {
            builder.businessHours(
                    BusinessHours.weekdays(ZoneId.of(random.nextBoolean() ? "Europe/Paris" : "America/New_York")));
        }
        return builder.build();
    }

    private static Action randomAction(Random random) {
        return switch (random.nextInt(5)) {
            case 0, 1 -> new SendEmail(TEMPLATES.get(random.nextInt(TEMPLATES.size())));
            case 2 -> new AdjustScore(random.nextBoolean() ? 1 + random.nextInt(10) : -1 - random.nextInt(10));
            case 3 -> new AddToList(2 + random.nextInt(3));
            default -> random.nextBoolean() ? new ChangeStage(LifecycleStage.MQL) : new NotifyUser(null, null, "look");
        };
    }

    private static Condition randomCondition(Random random) {
        return switch (random.nextInt(3)) {
            case 0 -> new ScoreCondition(Operator.GTE, List.of((long) random.nextInt(100)));
            case 1 -> new ListMembership(RECIPIENTS);
            default -> new FieldCondition("optedOut", FieldType.BOOLEAN, Operator.EQ, List.of(true));
        };
    }

    private static TriggerEvent randomEvent(Random random) {
        String template = random.nextBoolean() ? null : TEMPLATES.get(random.nextInt(TEMPLATES.size()));
        return switch (random.nextInt(5)) {
            case 0 -> new TriggerEvent.EmailOpened(template);
            case 1 -> new TriggerEvent.EmailClicked(template, random.nextBoolean() ? null : "pricing");
            case 2 -> new TriggerEvent.FormSubmitted(random.nextBoolean() ? null : "Contact");
            case 3 -> new TriggerEvent.PageViewed("https://acme.test/docs/*");
            default -> new TriggerEvent.WebinarAttended(null);
        };
    }
}

package dev.kindling.engine.scoring;

import static dev.kindling.engine.scoring.Fixtures.T0;
import static dev.kindling.engine.scoring.Fixtures.entries;
import static dev.kindling.engine.scoring.Fixtures.fold;
import static dev.kindling.engine.scoring.Fixtures.prospect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.engine.PropertyRuns;
import dev.kindling.engine.activity.Activity;
import dev.kindling.engine.activity.ActivityType;
import dev.kindling.engine.intake.IntakeProcessor;
import dev.kindling.engine.intake.ProspectState;
import dev.kindling.engine.scoring.DecayPolicy.InactivityAction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The laws of the score, over many seeded random histories; a failure names its case seed. */
class ScoreLawsTest {

    private static final long SEED = 20260315L;
    private static final int CASES = PropertyRuns.cases(400, 4_000);
    private static final ActivityType[] TYPES = {
        ActivityType.PAGE_VIEW,
        ActivityType.FORM_SUBMIT,
        ActivityType.EMAIL_OPEN,
        ActivityType.UNSUBSCRIBE,
        ActivityType.DEMO_REQUEST
    };

    private static ScoringModel randomModel(Random gen, boolean caps, int floor, boolean inactivity) {
        List<ScoringRule> rules = new ArrayList<>();
        int n = 1 + gen.nextInt(5);
        for (int i = 0; i < n; i++) {
            boolean daily = caps && gen.nextBoolean();
            boolean first = caps && gen.nextInt(3) == 0;
            rules.add(new ScoringRule(
                    i + 1,
                    "r" + i,
                    TYPES[gen.nextInt(TYPES.length)],
                    null,
                    gen.nextBoolean() ? null : new UrlPattern("p" + gen.nextInt(3)),
                    null,
                    null,
                    null,
                    null,
                    gen.nextInt(160) - 40,
                    daily ? 1 + gen.nextInt(20) : null,
                    first,
                    first ? "emailId" : null,
                    null));
        }
        DecayPolicy decay = new DecayPolicy(
                inactivity ? 1 + gen.nextInt(120) : null,
                gen.nextBoolean() ? InactivityAction.SET_TO_ZERO : InactivityAction.SUBTRACT,
                gen.nextInt(60),
                gen.nextBoolean() ? null : 1 + gen.nextInt(40));
        return new ScoringModel(rules, decay, floor);
    }

    private static List<Activity> randomActivities(Random gen, long firstId, Instant from, int days) {
        List<Activity> list = new ArrayList<>();
        int n = gen.nextInt(12);
        for (int i = 0; i < n; i++) {
            list.add(new Activity(
                    firstId + i,
                    TYPES[gen.nextInt(TYPES.length)],
                    null,
                    from.plusSeconds(gen.nextInt(days * 86_400)),
                    null,
                    Map.of("url", "https://x.example/p" + gen.nextInt(4), "emailId", "e" + gen.nextInt(3)),
                    gen.nextInt(10) == 0));
        }
        return list;
    }

    /** A random life: batches of activities at increasing instants, decay runs, resets, undos, adjustments. */
    private record Life(ScoreState state, List<LedgerEntry> ledger) {}

    private static Life live(Random gen, ScoringModel model) {
        IntakeProcessor processor = Fixtures.processor(model);
        ProspectState state = prospect();
        List<LedgerEntry> ledger = new ArrayList<>();
        Instant now = T0;
        LedgerEntry lastReset = null;
        int steps = 1 + gen.nextInt(10);
        for (int s = 0; s < steps; s++) {
            now = now.plusSeconds(gen.nextInt(60 * 86_400));
            Decay.Scored scored;
            switch (gen.nextInt(5)) {
                case 0, 1 -> {
                    var result = processor.apply(
                            state, randomActivities(gen, s * 100L, now.minusSeconds(200L * 86_400), 200), now);
                    ledger.addAll(entries(result));
                    state = result.state();
                    continue;
                }
                case 2 -> scored = Decay.due(state.score(), model, now);
                case 3 -> {
                    if (lastReset != null && gen.nextBoolean()) {
                        scored = ScoreActions.undoReset(state.score(), model, 1, lastReset, now, "undo");
                        lastReset = null;
                    } else {
                        scored = ScoreActions.reset(state.score(), model, now, "reset");
                        lastReset = scored.entries().getLast();
                    }
                }
                default ->
                    scored = ScoreActions.adjust(
                            state.score(), model, LedgerEntry.Kind.MANUAL, gen.nextInt(200) - 100, now, "hand");
            }
            ledger.addAll(scored.entries());
            state = state.withScore(scored.state());
        }
        return new Life(state.score(), ledger);
    }

    @Test
    void theScoreIsAlwaysTheFoldOfItsLedger() {
        Random random = new Random(SEED);
        for (int n = 0; n < CASES; n++) {
            long caseSeed = random.nextLong();
            Random gen = new Random(caseSeed);
            ScoringModel model = randomModel(gen, gen.nextBoolean(), gen.nextInt(21) - 10, gen.nextBoolean());
            Life life = live(gen, model);
            assertThat(fold(0, life.ledger()))
                    .as("case seed %d", caseSeed)
                    .isEqualTo(life.state().value());
        }
    }

    @Test
    void decayNeverTakesTheScoreBelowTheFloor() {
        Random random = new Random(SEED + 1);
        for (int n = 0; n < CASES; n++) {
            long caseSeed = random.nextLong();
            Random gen = new Random(caseSeed);
            int floor = gen.nextInt(21) - 10;
            ScoringModel model = randomModel(gen, gen.nextBoolean(), floor, true);
            Life life = live(gen, model);
            int before = 0;
            for (LedgerEntry e : life.ledger()) {
                if (e.kind() == LedgerEntry.Kind.DECAY) {
                    assertThat(e.result())
                            .as("case seed %d, entry %s", caseSeed, e)
                            .isGreaterThanOrEqualTo(Math.min(before, floor));
                }
                before = e.result();
            }
        }
    }

    @Test
    void undoingAResetRestoresTheExactPreviousScore() {
        Random random = new Random(SEED + 2);
        for (int n = 0; n < CASES; n++) {
            long caseSeed = random.nextLong();
            Random gen = new Random(caseSeed);
            ScoringModel model = randomModel(gen, gen.nextBoolean(), gen.nextInt(21) - 10, gen.nextBoolean());
            Life life = live(gen, model);
            Instant at = T0.plusSeconds(700L * 86_400);
            // let what is due happen first, so the reset is the only change between before and after
            ScoreState settled = Decay.due(life.state(), model, at).state();
            Decay.Scored reset = ScoreActions.reset(settled, model, at, "reset");
            Decay.Scored undone = ScoreActions.undoReset(
                    reset.state(), model, 9, reset.entries().getLast(), at, "undo");
            assertThat(undone.state().value()).as("case seed %d", caseSeed).isEqualTo(settled.value());
        }
    }

    @Test
    void withoutCapsTheOrderActivitiesArriveInDoesNotChangeTheFinalScore() {
        Random random = new Random(SEED + 3);
        for (int n = 0; n < CASES; n++) {
            long caseSeed = random.nextLong();
            Random gen = new Random(caseSeed);
            // a floor far away and no inactivity: neither clamps nor wipes depend on order
            ScoringModel model = randomModel(gen, false, -1_000_000, false);
            IntakeProcessor processor = Fixtures.processor(model);
            List<Activity> activities = new ArrayList<>(randomActivities(gen, 0, T0, 300));
            activities.addAll(randomActivities(gen, 1000, T0, 300));
            Instant now = T0.plusSeconds(400L * 86_400);

            int inOrder =
                    processor.apply(prospect(), activities, now).state().score().value();

            Collections.shuffle(activities, gen);
            ProspectState state = prospect();
            Instant batchAt = now;
            int i = 0;
            while (i < activities.size()) {
                int size = 1 + gen.nextInt(3);
                List<Activity> batch = activities.subList(i, Math.min(activities.size(), i + size));
                state = processor.apply(state, batch, batchAt).state();
                i += size;
            }
            assertThat(state.score().value())
                    .as("case seed %d, activities %s", caseSeed, activities)
                    .isEqualTo(inOrder);
        }
    }
}

package dev.kindling.engine.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.engine.PropertyRuns;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * The rules of attribution, over seeded random opportunities (several contact roles, touches before and after the
 * milestones, equal instants, duplicates, zero and large amounts); a failure names its case seed.
 */
class AttributionLawsTest {

    private static final long SEED = 20261205L;
    private static final int CASES = PropertyRuns.cases(500, 10_000);
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static Instant at(Random gen, int fromDay, int toDay) {
        return T0.plus(Duration.ofHours((long) fromDay * 24 + gen.nextInt((toDay - fromDay) * 24 + 1)));
    }

    static Opportunity randomOpportunity(Random gen) {
        long amount = switch (gen.nextInt(4)) {
            case 0 -> 0;
            case 1 -> gen.nextInt(100);
            case 2 -> gen.nextInt(10_000_000);
            default -> Math.abs(gen.nextLong() % 1_000_000_000_000_000L);
        };
        Instant created = at(gen, 0, 400);
        Instant closed = created.plus(Duration.ofHours(gen.nextInt(24 * 200)));
        Instant lead = gen.nextInt(5) == 0 ? null : at(gen, -400, 400);
        int roles = 1 + gen.nextInt(3);
        List<Touch> touches = new ArrayList<>();
        int n = gen.nextInt(10);
        for (int i = 0; i < n; i++) {
            Instant t = !touches.isEmpty() && gen.nextInt(5) == 0
                    ? touches.get(gen.nextInt(touches.size())).at()
                    : at(gen, -500, 700);
            touches.add(new Touch(1 + gen.nextInt(5), t, 1 + gen.nextInt(roles)));
        }
        if (!touches.isEmpty() && gen.nextInt(5) == 0) {
            touches.add(touches.get(gen.nextInt(touches.size())));
        }
        return new Opportunity(amount, lead, created, closed, gen.nextBoolean() ? null : 1L + gen.nextInt(5), touches);
    }

    private interface Law {
        void check(
                Opportunity o,
                AttributionModel model,
                Basis basis,
                int lookback,
                double halfLife,
                List<Credit> credits,
                Random gen,
                SoftAssertions softly,
                String name);
    }

    private static void forAll(Law law) {
        Random seeds = new Random(SEED);
        SoftAssertions softly = new SoftAssertions();
        for (int c = 0; c < CASES; c++) {
            long seed = seeds.nextLong();
            Random gen = new Random(seed);
            Opportunity o = randomOpportunity(gen);
            int lookback = gen.nextInt(3) == 0 ? gen.nextInt(200) : 365;
            double halfLife = gen.nextBoolean() ? 7 : 0.5 + gen.nextInt(60);
            for (Basis basis : Basis.values()) {
                for (AttributionModel model : AttributionModel.values()) {
                    if (!model.supports(basis)) {
                        continue;
                    }
                    List<Credit> credits = Attribution.credit(o, model, basis, lookback, halfLife);
                    law.check(
                            o,
                            model,
                            basis,
                            lookback,
                            halfLife,
                            credits,
                            gen,
                            softly,
                            "case seed " + seed + " " + model + "/" + basis + " " + o);
                }
            }
        }
        softly.assertAll();
    }

    @Test
    void creditsAreNonNegativeAndAddUpToTheAmountToTheCent() {
        forAll((o, model, basis, lookback, halfLife, credits, gen, softly, name) -> {
            softly.assertThat(credits).as(name).isNotEmpty().allMatch(c -> c.cents() >= 0 && c.share() >= 0);
            softly.assertThat(credits.stream().mapToLong(Credit::cents).sum())
                    .as(name)
                    .isEqualTo(o.amountCents());
        });
    }

    @Test
    void aTouchAfterTheMilestoneOrOutsideTheLookbackNeverGetsCredit() {
        forAll((o, model, basis, lookback, halfLife, credits, gen, softly, name) -> {
            Instant milestone = Attribution.milestone(o, basis);
            Instant earliest = milestone.minus(Duration.ofDays(lookback));
            softly.assertThat(credits)
                    .as(name)
                    .filteredOn(c -> c.touch() != null)
                    .allMatch(c -> c.touch().at().isBefore(milestone)
                            && !c.touch().at().isBefore(earliest));
            // and adding such touches changes nothing
            List<Touch> more = new ArrayList<>(o.touches());
            more.add(new Touch(1 + gen.nextInt(5), milestone, 1));
            more.add(new Touch(1 + gen.nextInt(5), milestone.plusSeconds(1 + gen.nextInt(1_000_000)), 1));
            more.add(new Touch(1 + gen.nextInt(5), earliest.minusSeconds(1 + gen.nextInt(1_000_000)), 1));
            Opportunity widened = new Opportunity(
                    o.amountCents(), o.leadCreatedAt(), o.createdAt(), o.closedAt(), o.primaryCampaignId(), more);
            softly.assertThat(Attribution.credit(widened, model, basis, lookback, halfLife))
                    .as(name)
                    .isEqualTo(credits);
        });
    }

    @Test
    void oneTouchGetsAllTheCredit() {
        forAll((o, model, basis, lookback, halfLife, credits, gen, softly, name) -> {
            if (model == AttributionModel.PRIMARY_CAMPAIGN) {
                return;
            }
            Instant milestone = Attribution.milestone(o, basis);
            Touch only = new Touch(1 + gen.nextInt(5), milestone.minusSeconds(1 + gen.nextInt(86_400 * 30)), 2);
            Opportunity single = new Opportunity(
                    o.amountCents(),
                    o.leadCreatedAt(),
                    o.createdAt(),
                    o.closedAt(),
                    o.primaryCampaignId(),
                    List.of(only));
            softly.assertThat(Attribution.credit(single, model, basis, 365, halfLife))
                    .as(name)
                    .containsExactly(new Credit(only.campaignId(), only, 1, o.amountCents()));
        });
    }

    @Test
    void theOrderAndDuplicatesOfTouchesDoNotMatter() {
        forAll((o, model, basis, lookback, halfLife, credits, gen, softly, name) -> {
            List<Touch> shuffled = new ArrayList<>(o.touches());
            shuffled.addAll(o.touches());
            Collections.shuffle(shuffled, gen);
            Opportunity same = new Opportunity(
                    o.amountCents(), o.leadCreatedAt(), o.createdAt(), o.closedAt(), o.primaryCampaignId(), shuffled);
            softly.assertThat(Attribution.credit(same, model, basis, lookback, halfLife))
                    .as(name)
                    .isEqualTo(credits);
        });
    }

    @Test
    void positionModelsGiveEachKeyPositionItsWeightMergedOnSharedTouchesAndSpreadWhenThereAreNoOthers() {
        Map<AttributionModel, double[]> percent = Map.of(
                AttributionModel.U_SHAPED,
                new double[] {40, 40, 0, 0, 20},
                AttributionModel.W_SHAPED,
                new double[] {30, 30, 30, 0, 10},
                AttributionModel.FULL_PATH,
                new double[] {22.5, 22.5, 22.5, 22.5, 10});
        forAll((o, model, basis, lookback, halfLife, credits, gen, softly, name) -> {
            double[] p = percent.get(model);
            List<Touch> touches = Attribution.eligible(o, basis, lookback);
            if (p == null || touches.isEmpty()) {
                return;
            }
            // independent reference: the positions as the issue defines them
            int[] keys = {
                0,
                lastAtOrBefore(touches, o.leadCreatedAt(), true),
                lastAtOrBefore(touches, o.createdAt(), false),
                touches.size() - 1
            };
            Map<Integer, Double> weight = new HashMap<>();
            for (int k = 0; k < 4; k++) {
                if (p[k] > 0) {
                    weight.merge(keys[k], p[k], Double::sum);
                }
            }
            int others = touches.size() - weight.size();
            double keyTotal =
                    weight.values().stream().mapToDouble(Double::doubleValue).sum();
            for (int i = 0; i < touches.size(); i++) {
                double expected = weight.containsKey(i)
                        ? (others == 0 ? weight.get(i) / keyTotal : weight.get(i) / 100)
                        : p[4] / 100 / others;
                Touch t = touches.get(i);
                double actual = credits.stream()
                        .filter(c -> t.equals(c.touch()))
                        .mapToDouble(Credit::share)
                        .sum();
                softly.assertThat(actual)
                        .as(name + " touch " + i)
                        .isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-9));
                long cents = credits.stream()
                        .filter(c -> t.equals(c.touch()))
                        .mapToLong(Credit::cents)
                        .sum();
                softly.assertThat((double) cents)
                        .as(name + " cents of touch " + i)
                        .isCloseTo(
                                o.amountCents() * expected,
                                org.assertj.core.data.Offset.offset(touches.size() + o.amountCents() * 1e-12));
            }
        });
    }

    @Test
    void timeDecayGivesALaterTouchAtLeastTheShareOfAnEarlierOne() {
        forAll((o, model, basis, lookback, halfLife, credits, gen, softly, name) -> {
            if (model != AttributionModel.TIME_DECAY) {
                return;
            }
            for (int i = 1; i < credits.size(); i++) {
                softly.assertThat(credits.get(i).share())
                        .as(name)
                        .isGreaterThanOrEqualTo(credits.get(i - 1).share());
            }
        });
    }

    private static int lastAtOrBefore(List<Touch> touches, Instant at, boolean inclusive) {
        int found = 0;
        for (int i = 0; at != null && i < touches.size(); i++) {
            if (touches.get(i).at().isBefore(at)
                    || (inclusive && touches.get(i).at().equals(at))) {
                found = i;
            }
        }
        return found;
    }

    @Test
    void theGeneratorCoversTheInterestingCases() {
        Random gen = new Random(SEED);
        int multiRole = 0;
        int afterMilestone = 0;
        for (int i = 0; i < 500; i++) {
            Opportunity o = randomOpportunity(gen);
            multiRole += o.touches().stream().map(Touch::prospectId).distinct().count() > 1 ? 1 : 0;
            afterMilestone += o.touches().stream().anyMatch(t -> !t.at().isBefore(o.createdAt())) ? 1 : 0;
        }
        assertThat(multiRole).isGreaterThan(50);
        assertThat(afterMilestone).isGreaterThan(50);
    }
}

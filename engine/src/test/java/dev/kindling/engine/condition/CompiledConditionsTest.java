package dev.kindling.engine.condition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.engine.PropertyRuns;
import dev.kindling.engine.activity.Activity;
import dev.kindling.engine.activity.ActivityType;
import dev.kindling.engine.condition.Condition.ActivityCondition;
import dev.kindling.engine.condition.Condition.ActivityFilter;
import dev.kindling.engine.condition.Condition.All;
import dev.kindling.engine.condition.Condition.Any;
import dev.kindling.engine.condition.Condition.DaysSinceLastActivity;
import dev.kindling.engine.condition.Condition.FieldCondition;
import dev.kindling.engine.condition.Condition.GradeCondition;
import dev.kindling.engine.condition.Condition.ListMembership;
import dev.kindling.engine.condition.Condition.Not;
import dev.kindling.engine.condition.Condition.OpportunityCondition;
import dev.kindling.engine.condition.Condition.OwnerCondition;
import dev.kindling.engine.condition.Condition.ProgramState;
import dev.kindling.engine.condition.Condition.QuadrantCondition;
import dev.kindling.engine.condition.Condition.ScoreCondition;
import dev.kindling.engine.condition.Condition.StageCondition;
import dev.kindling.engine.condition.ConditionEvaluator.Outcome;
import dev.kindling.engine.condition.ProspectFacts.LostReason;
import dev.kindling.engine.condition.ProspectFacts.Opportunity;
import dev.kindling.engine.condition.ProspectFacts.OpportunityStatus;
import dev.kindling.engine.condition.ProspectFacts.OpportunityType;
import dev.kindling.engine.grading.Quadrant;
import dev.kindling.engine.grading.Thresholds;
import dev.kindling.engine.lifecycle.LifecycleStage;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The compiled form is a faster way to the same answers: for random conditions over every leaf kind, random prospects
 * and random instants (sub-microsecond parts included), its outcomes — decisions and next flips — equal the
 * interpreted evaluator's, condition by condition.
 */
class CompiledConditionsTest {

    private static final Instant BASE = Instant.parse("2026-03-01T12:00:00Z");
    private static final ActivityType[] TYPES = {
        ActivityType.EMAIL_CLICK,
        ActivityType.PAGE_VIEW,
        ActivityType.FORM_SUBMIT,
        ActivityType.CUSTOM,
        ActivityType.EMAIL_OPEN
    };
    private static final List<String> URLS =
            List.of("https://x.test/Pricing", "https://x.test/blog", "https://x.test/ÄRZTE/pricing");
    private static final List<Long> DAYS = List.of(0L, 1L, 2L, 7L, 30L, 90L);

    private final ConditionEvaluator evaluator = new ConditionEvaluator(Thresholds.DEFAULTS);

    @Test
    void compiledOutcomesAreTheInterpretedOutcomesForRandomConditionsProspectsAndInstants() {
        Random seeds = new Random(20261206);
        int flips = 0;
        int matches = 0;
        for (int round = 0, rounds = PropertyRuns.cases(300, 5_000); round < rounds; round++) {
            long seed = seeds.nextLong();
            Random random = new Random(seed);
            List<Condition> conditions = new ArrayList<>();
            for (int i = 0, n = 1 + random.nextInt(30); i < n; i++) {
                conditions.add(condition(random, 1));
            }
            conditions.add(conditions.get(random.nextInt(conditions.size()))); // shared, as rules and lists share
            CompiledConditions compiled = evaluator.compile(conditions);
            for (int p = 0; p < 5; p++) {
                Instant now =
                        BASE.plus(Duration.ofHours(random.nextInt(24 * 30))).plusNanos(random.nextInt(3_000));
                ProspectFacts facts = prospect(random, now);
                List<Outcome> fast = compiled.outcomes(facts, now);
                List<Outcome> interpreted = evaluator.interpretedOutcomes(conditions, facts, now);
                for (int i = 0; i < conditions.size(); i++) {
                    assertThat(fast.get(i))
                            .as("seed %d, prospect %d, condition %s, facts %s", seed, p, conditions.get(i), facts)
                            .isEqualTo(interpreted.get(i))
                            .isEqualTo(evaluator.outcome(conditions.get(i), facts, now));
                    flips += fast.get(i).nextFlip().isPresent() ? 1 : 0;
                    matches += fast.get(i).matches() ? 1 : 0;
                }
            }
        }
        assertThat(flips).as("outcomes with a next flip").isGreaterThan(1_000);
        assertThat(matches).as("outcomes that match").isGreaterThan(1_000);
    }

    @Test
    void textEqualityLeavesCompiledWithLowerCasedOperandsAnswerAsInterpreted() {
        List<Condition> conditions = new ArrayList<>();
        List<List<Object>> operandSets = List.of(
                List.of("Software", "IT Services"),
                List.of("ÄRZTE"),
                List.of("software"),
                List.of(),
                List.of("Finance", "SOFTWARE", "ärzte"));
        for (Operator op : List.of(Operator.EQ, Operator.NE, Operator.IN, Operator.NOT_IN)) {
            for (List<Object> all : operandSets) {
                List<Object> operands = op.accepts(all.size()) ? all : all.isEmpty() ? null : all.subList(0, 1);
                if (operands == null || !op.accepts(operands.size())) {
                    continue;
                }
                conditions.add(new FieldCondition("industry", FieldType.TEXT, op, operands));
                conditions.add(new Not(new FieldCondition("industry", FieldType.TEXT, op, operands)));
            }
        }
        CompiledConditions compiled = evaluator.compile(conditions);
        int matched = 0;
        for (Object value : new Object[] {
            null, "", "Software", "SOFTWARE", "software house", "it services", "IT SERVICES", "Ärzte", "ärzte", 42
        }) {
            Map<String, Object> fields = new HashMap<>();
            fields.put("industry", value);
            ProspectFacts facts = facts(fields, 0, List.of(), null, List.of());
            List<Outcome> fast = compiled.outcomes(facts, BASE);
            for (int i = 0; i < conditions.size(); i++) {
                assertThat(fast.get(i))
                        .as("%s for %s", conditions.get(i), value)
                        .isEqualTo(evaluator.outcome(conditions.get(i), facts, BASE));
                matched += fast.get(i).matches() ? 1 : 0;
            }
        }
        assertThat(matched).isBetween(1, 10 * conditions.size() - 1);
        assertThat(CompiledConditions.loweredTextOperands(
                        new FieldCondition("industry", FieldType.TEXT, Operator.IN, List.of("Software", "ÄRZTE"))))
                .containsExactly("software", "ärzte");
        assertThat(CompiledConditions.loweredTextOperands(
                        new FieldCondition("industry", FieldType.TEXT, Operator.CONTAINS, List.of("soft"))))
                .as("other operators are decided as before")
                .isNull();
        assertThat(CompiledConditions.loweredTextOperands(
                        new FieldCondition("employees", FieldType.NUMBER, Operator.IN, List.of(new BigDecimal(5)))))
                .isNull();
    }

    @Test
    void moreCandidateInstantsThanTheEvaluatorTriesGiveTheSameConservativeFlip() {
        List<Activity> clicks = new ArrayList<>();
        for (int i = 0; i < ConditionEvaluator.MAX_FLIP_CANDIDATES + 100; i++) {
            clicks.add(activity(i, ActivityType.EMAIL_CLICK, BASE.minus(Duration.ofMinutes(10 + 7L * i)), "x"));
        }
        ProspectFacts facts = facts(Map.of(), 10, clicks, BASE, List.of());
        Condition never = new All(List.of(
                new ActivityCondition(ActivityType.EMAIL_CLICK, null, 1, 30L, true),
                new ScoreCondition(Operator.GTE, List.of(1_000L))));
        Condition late = new ActivityCondition(ActivityType.EMAIL_CLICK, null, 1, 30L, true);

        List<Outcome> outcomes = evaluator.compile(List.of(never, late)).outcomes(facts, BASE);

        assertThat(outcomes.get(0)).isEqualTo(evaluator.outcome(never, facts, BASE));
        assertThat(outcomes.get(0).nextFlip()).as("the last candidate tried").isPresent();
        assertThat(outcomes.get(1)).isEqualTo(evaluator.outcome(late, facts, BASE));
    }

    @Test
    void instantsAndDayCountsBeyondMicrosecondsAreLeftToTheInterpretedForm() {
        Instant far = Instant.parse("+100000-01-01T00:00:00Z");
        Condition click = new ActivityCondition(ActivityType.EMAIL_CLICK, null, 1, 30L, true);
        Condition huge = new ActivityCondition(ActivityType.EMAIL_CLICK, null, 1, 50_000_000L, true);
        ProspectFacts farActivity = facts(
                Map.of(),
                0,
                List.of(
                        activity(1, ActivityType.EMAIL_CLICK, far, "x"),
                        activity(2, ActivityType.EMAIL_CLICK, BASE.minus(Duration.ofDays(3)), "x")),
                BASE,
                List.of());
        ProspectFacts near = facts(
                Map.of(),
                0,
                List.of(activity(2, ActivityType.EMAIL_CLICK, BASE.minus(Duration.ofDays(3)), "x")),
                BASE,
                List.of());
        CompiledConditions compiled = evaluator.compile(List.of(click, huge));

        assertThat(compiled.outcomes(farActivity, BASE))
                .isEqualTo(evaluator.interpretedOutcomes(List.of(click, huge), farActivity, BASE));
        assertThat(compiled.outcomes(near, BASE))
                .isEqualTo(evaluator.interpretedOutcomes(List.of(click, huge), near, BASE))
                .extracting(Outcome::matches)
                .containsExactly(true, true);
    }

    private Condition condition(Random random, int depth) {
        if (depth < 4 && random.nextInt(100) < 40) {
            return switch (random.nextInt(3)) {
                case 0 -> new All(children(random, depth));
                case 1 -> new Any(children(random, depth));
                default -> new Not(condition(random, depth + 1));
            };
        }
        return switch (random.nextInt(14)) {
            case 0, 1, 2, 3 -> activityCondition(random);
            case 4 -> {
                Operator op = numericOp(random);
                yield new DaysSinceLastActivity(op, numbers(random, op, DAYS));
            }
            case 5 -> {
                Operator op = random.nextBoolean() ? Operator.OLDER_THAN_DAYS : Operator.WITHIN_DAYS;
                yield new FieldCondition("createdAt", FieldType.DATE, op, List.of(pick(random, DAYS)));
            }
            case 6 -> text(random);
            case 7 ->
                new FieldCondition(
                        "employees",
                        FieldType.NUMBER,
                        Operator.GTE,
                        List.of(BigDecimal.valueOf(pick(random, List.of(10, 100, 500)))));
            case 8 -> {
                Operator op = numericOp(random);
                yield new ScoreCondition(op, numbers(random, op, List.of(0L, 10L, 50L, 100L)));
            }
            case 9 ->
                switch (random.nextInt(4)) {
                    case 0 -> new GradeCondition(Operator.GTE, List.of(pick(random, List.of("A", "C+", "F"))));
                    case 1 -> new StageCondition(random.nextBoolean(), Set.of(LifecycleStage.ENGAGED));
                    case 2 -> new QuadrantCondition(random.nextBoolean(), Set.of(Quadrant.HOT, Quadrant.DISCARD));
                    default -> new OwnerCondition(true, random.nextBoolean() ? Set.of() : Set.of(7L));
                };
            case 10 -> new ListMembership(1 + random.nextInt(3));
            case 11 -> new ProgramState(1 + random.nextInt(2), random.nextBoolean() ? null : "ACTIVE");
            default ->
                new OpportunityCondition(
                        random.nextBoolean() ? Set.of() : Set.of(OpportunityStatus.LOST),
                        random.nextBoolean() ? null : (long) pick(random, List.of(1L, 30L, 90L)),
                        random.nextBoolean() ? null : BigDecimal.valueOf(1_000),
                        random.nextInt(3) == 0 ? OpportunityType.NEW_BUSINESS : null,
                        random.nextInt(3) == 0 ? Set.of(LostReason.PRICE) : Set.of());
        };
    }

    private List<Condition> children(Random random, int depth) {
        List<Condition> children = new ArrayList<>();
        for (int i = 0, n = random.nextInt(10) == 0 ? 0 : 1 + random.nextInt(3); i < n; i++) {
            children.add(condition(random, depth + 1));
        }
        return children;
    }

    private static Condition activityCondition(Random random) {
        ActivityType type = random.nextInt(5) == 0 ? null : pick(random, List.of(TYPES));
        ActivityFilter filter = switch (random.nextInt(6)) {
            case 0 -> new ActivityFilter(null, pick(random, List.of("pricing", "PRICING", "ärzte")), null, null, null);
            case 1 -> new ActivityFilter(pick(random, List.of("Webinar", "webinar")), null, null, null, null);
            case 2 -> new ActivityFilter(null, null, "Contact", null, null);
            case 3 -> new ActivityFilter(null, null, null, "e1", random.nextBoolean() ? 5L : null);
            default -> null;
        };
        Long within = random.nextInt(4) == 0 ? null : (long) (1 + random.nextInt(45));
        return new ActivityCondition(type, filter, 1 + random.nextInt(3), within, random.nextBoolean());
    }

    private static Condition text(Random random) {
        Operator op = pick(
                random,
                List.of(
                        Operator.EQ,
                        Operator.NE,
                        Operator.IN,
                        Operator.CONTAINS,
                        Operator.IS_EMPTY,
                        Operator.NOT_IN,
                        Operator.STARTS_WITH));
        List<Object> operands = switch (op.arity()) {
            case NONE -> List.of();
            case MANY -> List.of("software", "Finance");
            default -> List.of(pick(random, List.of("SOFTWARE", "soft", "finance")));
        };
        return new FieldCondition("industry", FieldType.TEXT, op, operands);
    }

    private static Operator numericOp(Random random) {
        return pick(
                random,
                List.of(
                        Operator.EQ,
                        Operator.NE,
                        Operator.GT,
                        Operator.GTE,
                        Operator.LT,
                        Operator.LTE,
                        Operator.BETWEEN));
    }

    private static List<Long> numbers(Random random, Operator op, List<Long> pool) {
        long a = pick(random, pool);
        long b = pick(random, pool);
        return op == Operator.BETWEEN ? List.of(Math.min(a, b), Math.max(a, b)) : List.of(a);
    }

    private static ProspectFacts prospect(Random random, Instant now) {
        List<Activity> activities = new ArrayList<>();
        for (int i = 0, n = random.nextInt(20); i < n; i++) {
            Instant at = now.minus(Duration.ofHours(random.nextInt(24 * 100)))
                    .plus(Duration.ofDays(random.nextInt(10) == 0 ? 3 : 0))
                    .plusNanos(random.nextInt(5) == 0 ? random.nextInt(3_000) : 0);
            ActivityType type = pick(random, List.of(TYPES));
            Map<String, String> properties = new HashMap<>();
            properties.put("url", pick(random, URLS));
            if (random.nextBoolean()) {
                properties.put("formName", random.nextBoolean() ? "CONTACT" : "other");
            }
            if (random.nextBoolean()) {
                properties.put("emailId", "e" + random.nextInt(2));
            }
            activities.add(new Activity(
                    i,
                    type,
                    type == ActivityType.CUSTOM ? pick(random, List.of("WEBINAR", "webinar", "other")) : null,
                    at,
                    random.nextBoolean() ? 5L : null,
                    properties,
                    random.nextInt(8) == 0));
        }
        Map<String, Object> fields = new HashMap<>();
        if (random.nextInt(4) > 0) {
            fields.put("industry", pick(random, List.of("Software", "FINANCE", "", "software house")));
        }
        if (random.nextInt(4) > 0) {
            fields.put("employees", pick(random, List.of(50, 500L, new BigDecimal("100.0"), 1e3, "many")));
        }
        Instant created = now.minus(Duration.ofHours(random.nextInt(24 * 100))).plusNanos(random.nextInt(3_000));
        switch (random.nextInt(4)) {
            case 0 -> fields.put("createdAt", created);
            case 1 -> fields.put("createdAt", LocalDate.ofInstant(created, java.time.ZoneOffset.UTC));
            case 2 ->
                fields.put(
                        "createdAt",
                        LocalDate.ofInstant(created, java.time.ZoneOffset.UTC).toString());
            default -> {}
        }
        Instant last = random.nextInt(5) == 0
                ? null
                : activities.stream()
                        .map(Activity::occurredAt)
                        .max(Instant::compareTo)
                        .orElse(now.minus(Duration.ofDays(random.nextInt(200))).plusNanos(random.nextInt(3_000)));
        List<Opportunity> opportunities = new ArrayList<>();
        for (int i = 0, n = random.nextInt(3); i < n; i++) {
            OpportunityStatus status = pick(random, List.of(OpportunityStatus.values()));
            opportunities.add(new Opportunity(
                    status,
                    random.nextBoolean() ? BigDecimal.valueOf(random.nextInt(3_000)) : null,
                    random.nextBoolean() ? OpportunityType.NEW_BUSINESS : OpportunityType.EXISTING_BUSINESS,
                    status == OpportunityStatus.OPEN
                            ? null
                            : now.minus(Duration.ofHours(random.nextInt(24 * 120)))
                                    .plusNanos(random.nextInt(3_000)),
                    status == OpportunityStatus.LOST ? LostReason.PRICE : null));
        }
        Set<Long> lists = new HashSet<>();
        lists.add(1L + random.nextInt(3));
        return new ProspectFacts(
                random.nextInt(1_000),
                fields,
                random.nextInt(120),
                random.nextBoolean() ? pick(random, List.of("A", "B-", "C+", "F")) : null,
                pick(random, List.of(LifecycleStage.ENGAGED, LifecycleStage.CAPTURED)),
                random.nextBoolean() ? 7L : null,
                lists,
                activities,
                last,
                opportunities,
                random.nextBoolean() ? Map.of(1L, "ACTIVE") : Map.of());
    }

    private static ProspectFacts facts(
            Map<String, Object> fields,
            int score,
            List<Activity> activities,
            Instant last,
            List<Opportunity> opportunities) {
        return new ProspectFacts(
                1, fields, score, null, LifecycleStage.ENGAGED, null, null, activities, last, opportunities, null);
    }

    private static Activity activity(long id, ActivityType type, Instant at, String url) {
        return new Activity(id, type, null, at, null, Map.of("url", url), false);
    }

    private static <T> T pick(Random random, List<T> pool) {
        return pool.get(random.nextInt(pool.size()));
    }

    @Test
    void theOutcomesOfACompiledSetKeepTheConditionsOrder() {
        Condition a = new ScoreCondition(Operator.GTE, List.of(10L));
        Condition b = new ScoreCondition(Operator.LT, List.of(10L));
        ProspectFacts facts = facts(Map.of(), 20, List.of(), null, List.of());

        CompiledConditions compiled = evaluator.compile(List.of(a, b, a));

        assertThat(compiled.conditions()).containsExactly(a, b, a);
        assertThat(compiled.outcomes(facts, BASE))
                .containsExactly(
                        new Outcome(true, Optional.empty()),
                        new Outcome(false, Optional.empty()),
                        new Outcome(true, Optional.empty()));
    }
}

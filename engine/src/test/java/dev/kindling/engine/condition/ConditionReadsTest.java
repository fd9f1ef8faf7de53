package dev.kindling.engine.condition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.engine.PropertyRuns;
import dev.kindling.engine.activity.Activity;
import dev.kindling.engine.activity.ActivityType;
import dev.kindling.engine.condition.Condition.ActivityCondition;
import dev.kindling.engine.condition.Condition.ActivityFilter;
import dev.kindling.engine.condition.ConditionReads.Fact;
import dev.kindling.engine.condition.ProspectFacts.Opportunity;
import dev.kindling.engine.condition.ProspectFacts.OpportunityStatus;
import dev.kindling.engine.grading.Quadrant;
import dev.kindling.engine.grading.Thresholds;
import dev.kindling.engine.lifecycle.LifecycleStage;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The relevance index's law: a condition whose reads do not intersect what changed of a prospect gives the same
 * answer and the same next flip after the change as before, at the same instant; and one that reads what changed is
 * named as such (what it reads is a superset of what its answer can depend on).
 */
class ConditionReadsTest {

    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    private static final ConditionEvaluator evaluator = new ConditionEvaluator(Thresholds.DEFAULTS);
    private static final ActivityType[] TYPES = {
        ActivityType.EMAIL_CLICK, ActivityType.PAGE_VIEW, ActivityType.FORM_SUBMIT, ActivityType.UNSUBSCRIBE
    };
    private static final String[] GRADES = {"A+", "A", "B", "C-", "F"};

    @Test
    void leavesReadWhatTheyLookAt() {
        assertThat(ConditionReads.of(new Condition.ScoreCondition(Operator.GTE, List.of(20L))))
                .isEqualTo(ConditionReads.of(Fact.SCORE));
        assertThat(ConditionReads.of(new Condition.QuadrantCondition(true, Set.of(Quadrant.HOT))))
                .isEqualTo(ConditionReads.of(Fact.GRADE, Fact.SCORE));
        ConditionReads clicksAndScore = ConditionReads.of(new Condition.All(List.of(
                new ActivityCondition(ActivityType.EMAIL_CLICK, null, 2, 30L, true),
                new Condition.ScoreCondition(Operator.GTE, List.of(20L)))));
        assertThat(clicksAndScore.intersects(ConditionReads.of(Fact.SCORE))).isTrue();
        assertThat(clicksAndScore.intersects(ConditionReads.lists(Set.of(3L)))).isFalse();
        assertThat(clicksAndScore.intersects(ConditionReads.activities(Set.of(ActivityType.PAGE_VIEW))))
                .isFalse();
        assertThat(clicksAndScore.intersects(ConditionReads.everyActivity())).isTrue();
        assertThat(clicksAndScore.intersects(ConditionReads.ALL)).isTrue();
        ConditionReads member = ConditionReads.of(new Condition.ListMembership(7L));
        assertThat(member.intersects(ConditionReads.lists(Set.of(7L, 8L)))).isTrue();
        assertThat(member.intersects(ConditionReads.lists(Set.of(8L)))).isFalse();
        assertThat(member.intersects(ConditionReads.everyList())).isTrue();
        // a derived field reads what it is computed from
        ConditionReads engaged = ConditionReads.of(
                new Condition.FieldCondition(
                        "account.engagedContacts", FieldType.NUMBER, Operator.GTE, List.of(BigDecimal.ONE)),
                name -> name.equals("account.engagedContacts") ? ConditionReads.of(Fact.SCORE) : ConditionReads.NONE);
        assertThat(engaged.intersects(ConditionReads.of(Fact.SCORE))).isTrue();
        assertThat(engaged.intersects(ConditionReads.fields(Set.of("industry"))))
                .isFalse();
        // a condition that reads nothing does not change with anything
        assertThat(ConditionReads.of(new Condition.All(List.of())).intersects(ConditionReads.ALL))
                .isFalse();
    }

    @Test
    void aConditionThatDoesNotReadWhatChangedAnswersAsBefore() {
        Random seeds = new Random(20261206);
        int relevant = 0;
        int irrelevant = 0;
        for (int round = 0, rounds = PropertyRuns.cases(2_000, 20_000); round < rounds; round++) {
            long seed = seeds.nextLong();
            Random random = new Random(seed);
            ProspectFacts before = facts(random);
            List<Condition> conditions = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                conditions.add(condition(random, 3));
            }
            Changed changed = change(random, before);
            for (Condition condition : conditions) {
                ConditionReads reads = ConditionReads.of(condition);
                if (reads.intersects(changed.reads)) {
                    relevant++;
                    continue;
                }
                irrelevant++;
                String description = "seed " + seed + ", " + condition + ", changed " + changed.reads;
                assertThat(evaluator.outcome(condition, changed.after, NOW))
                        .as(description)
                        .isEqualTo(evaluator.outcome(condition, before, NOW));
            }
        }
        // both sides of the law were exercised
        assertThat(relevant).isGreaterThan(1_000);
        assertThat(irrelevant).isGreaterThan(1_000);
    }

    @Test
    void whatIsReadIsWhatTheAnswerCanDependOn() {
        // the converse, by changes that flip the answer: every change that flips some condition's answer is one
        // its reads name
        Random seeds = new Random(61);
        int flipped = 0;
        for (int round = 0, rounds = PropertyRuns.cases(2_000, 20_000); round < rounds; round++) {
            long seed = seeds.nextLong();
            Random random = new Random(seed);
            ProspectFacts before = facts(random);
            Condition condition = condition(random, 3);
            Changed changed = change(random, before);
            boolean differs =
                    !evaluator.outcome(condition, changed.after, NOW).equals(evaluator.outcome(condition, before, NOW));
            if (differs) {
                flipped++;
                assertThat(ConditionReads.of(condition).intersects(changed.reads))
                        .as("seed " + seed + ", " + condition + ", changed " + changed.reads)
                        .isTrue();
            }
        }
        assertThat(flipped).isGreaterThan(100);
    }

    private record Changed(ProspectFacts after, ConditionReads reads) {}

    /** One to three random changes of one prospect's facts, and what they changed. */
    private static Changed change(Random random, ProspectFacts f) {
        Map<String, Object> fields = new HashMap<>(f.fields());
        int score = f.score();
        String grade = f.grade();
        LifecycleStage stage = f.stage();
        Long owner = f.ownerId();
        Set<Long> lists = new HashSet<>(f.listIds());
        List<Activity> activities = new ArrayList<>(f.activities());
        Instant last = f.lastActivityAt();
        List<Opportunity> opportunities = new ArrayList<>(f.opportunities());
        Map<Long, String> programs = new HashMap<>(f.programs());
        ConditionReads reads = ConditionReads.NONE;
        for (int n = 1 + random.nextInt(3); n > 0; n--) {
            switch (random.nextInt(10)) {
                case 0 -> {
                    score = random.nextInt(120);
                    reads = reads.plus(ConditionReads.of(Fact.SCORE));
                }
                case 1 -> {
                    grade = random.nextInt(5) == 0 ? null : GRADES[random.nextInt(GRADES.length)];
                    reads = reads.plus(ConditionReads.of(Fact.GRADE));
                }
                case 2 -> {
                    stage = LifecycleStage.values()[random.nextInt(LifecycleStage.values().length)];
                    reads = reads.plus(ConditionReads.of(Fact.STAGE));
                }
                case 3 -> {
                    owner = random.nextBoolean() ? null : (long) random.nextInt(3);
                    reads = reads.plus(ConditionReads.of(Fact.OWNER));
                }
                case 4 -> {
                    String name = FIELDS[random.nextInt(FIELDS.length)];
                    Object value = fieldValue(random, name);
                    if (value == null) {
                        fields.remove(name);
                    } else {
                        fields.put(name, value);
                    }
                    reads = reads.plus(ConditionReads.fields(Set.of(name)));
                }
                case 5 -> {
                    long list = 1 + random.nextInt(3);
                    if (!lists.remove(list)) {
                        lists.add(list);
                    }
                    reads = reads.plus(ConditionReads.lists(Set.of(list)));
                }
                case 6 -> {
                    Activity a = activity(random, activities.size() + 100);
                    activities.add(a);
                    reads = reads.plus(ConditionReads.activities(Set.of(a.type())));
                }
                case 7 -> {
                    last = random.nextInt(4) == 0 ? null : NOW.minus(Duration.ofHours(random.nextInt(24 * 200)));
                    reads = reads.plus(ConditionReads.of(Fact.LAST_ACTIVITY));
                }
                case 8 -> {
                    opportunities.add(opportunity(random));
                    reads = reads.plus(ConditionReads.of(Fact.OPPORTUNITIES));
                }
                default -> {
                    long program = 1 + random.nextInt(2);
                    if (programs.remove(program) == null) {
                        programs.put(program, random.nextBoolean() ? "ACTIVE" : "COMPLETED");
                    }
                    reads = reads.plus(ConditionReads.of(Fact.PROGRAMS));
                }
            }
        }
        ProspectFacts after = new ProspectFacts(
                f.id(), fields, score, grade, stage, owner, lists, activities, last, opportunities, programs);
        return new Changed(after, reads);
    }

    private static final String[] FIELDS = {"industry", "employees", "createdAt", "custom.vip"};

    private static Object fieldValue(Random random, String name) {
        if (random.nextInt(5) == 0) {
            return null;
        }
        return switch (name) {
            case "industry" -> random.nextBoolean() ? "Software" : "Retail";
            case "employees" -> BigDecimal.valueOf(random.nextInt(1_000));
            case "createdAt" -> NOW.minus(Duration.ofHours(random.nextInt(24 * 60)));
            default -> random.nextBoolean();
        };
    }

    private static ProspectFacts facts(Random random) {
        Map<String, Object> fields = new HashMap<>();
        for (String name : FIELDS) {
            Object value = fieldValue(random, name);
            if (value != null) {
                fields.put(name, value);
            }
        }
        Set<Long> lists = new HashSet<>();
        for (long l = 1; l <= 3; l++) {
            if (random.nextBoolean()) {
                lists.add(l);
            }
        }
        List<Activity> activities = new ArrayList<>();
        for (int i = random.nextInt(6); i > 0; i--) {
            activities.add(activity(random, i));
        }
        List<Opportunity> opportunities = new ArrayList<>();
        for (int i = random.nextInt(3); i > 0; i--) {
            opportunities.add(opportunity(random));
        }
        Map<Long, String> programs = new HashMap<>();
        if (random.nextBoolean()) {
            programs.put(1L, "ACTIVE");
        }
        return new ProspectFacts(
                1L,
                fields,
                random.nextInt(120),
                random.nextInt(4) == 0 ? null : GRADES[random.nextInt(GRADES.length)],
                LifecycleStage.values()[random.nextInt(LifecycleStage.values().length)],
                random.nextBoolean() ? null : (long) random.nextInt(3),
                lists,
                activities,
                random.nextInt(4) == 0 ? null : NOW.minus(Duration.ofHours(random.nextInt(24 * 200))),
                opportunities,
                programs);
    }

    private static Activity activity(Random random, long id) {
        return new Activity(
                id,
                TYPES[random.nextInt(TYPES.length)],
                null,
                NOW.minus(Duration.ofHours(random.nextInt(24 * 60))),
                null,
                Map.of("url", random.nextBoolean() ? "https://x.test/pricing" : "https://x.test/blog"),
                random.nextInt(8) == 0);
    }

    private static Opportunity opportunity(Random random) {
        OpportunityStatus status = OpportunityStatus.values()[random.nextInt(3)];
        return new Opportunity(
                status,
                BigDecimal.valueOf(random.nextInt(50_000)),
                null,
                status == OpportunityStatus.OPEN ? null : NOW.minus(Duration.ofDays(random.nextInt(90))),
                null);
    }

    private static Condition condition(Random random, int depth) {
        int kind = random.nextInt(depth > 0 ? 15 : 12);
        return switch (kind) {
            case 0 -> new Condition.ScoreCondition(Operator.GTE, List.of((long) random.nextInt(120)));
            case 1 -> new Condition.GradeCondition(Operator.GTE, List.of(GRADES[random.nextInt(GRADES.length)]));
            case 2 ->
                new Condition.StageCondition(
                        random.nextBoolean(),
                        Set.of(LifecycleStage.values()[random.nextInt(LifecycleStage.values().length)]));
            case 3 -> new Condition.QuadrantCondition(true, Set.of(Quadrant.values()[random.nextInt(4)]));
            case 4 -> new Condition.OwnerCondition(random.nextBoolean(), Set.of());
            case 5 -> new Condition.ListMembership(1 + random.nextInt(3));
            case 6 ->
                new ActivityCondition(
                        random.nextInt(4) == 0 ? null : TYPES[random.nextInt(TYPES.length)],
                        random.nextBoolean()
                                ? ActivityFilter.NONE
                                : new ActivityFilter(null, "pricing", null, null, null),
                        1 + random.nextInt(2),
                        random.nextBoolean() ? null : (long) (1 + random.nextInt(45)),
                        random.nextBoolean());
            case 7 -> new Condition.DaysSinceLastActivity(Operator.GTE, List.of((long) random.nextInt(100)));
            case 8 -> new Condition.OpportunityCondition(Set.of(OpportunityStatus.WON), 30L, null, null, Set.of());
            case 9 -> new Condition.ProgramState(1 + random.nextInt(2), random.nextBoolean() ? null : "ACTIVE");
            case 10 -> field(random);
            case 11 -> field(random);
            case 12 -> new Condition.Not(condition(random, depth - 1));
            case 13 -> new Condition.All(List.of(condition(random, depth - 1), condition(random, depth - 1)));
            default -> new Condition.Any(List.of(condition(random, depth - 1), condition(random, depth - 1)));
        };
    }

    private static Condition field(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> new Condition.FieldCondition("industry", FieldType.TEXT, Operator.EQ, List.of("software"));
            case 1 ->
                new Condition.FieldCondition(
                        "employees", FieldType.NUMBER, Operator.GTE, List.of(BigDecimal.valueOf(500)));
            case 2 -> new Condition.FieldCondition("createdAt", FieldType.DATE, Operator.WITHIN_DAYS, List.of(30L));
            default -> new Condition.FieldCondition("custom.vip", FieldType.BOOLEAN, Operator.EQ, List.of(true));
        };
    }
}

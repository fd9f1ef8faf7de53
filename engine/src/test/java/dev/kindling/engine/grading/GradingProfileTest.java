package dev.kindling.engine.grading;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.engine.condition.Condition;
import dev.kindling.engine.condition.Condition.All;
import dev.kindling.engine.condition.Condition.Any;
import dev.kindling.engine.condition.Condition.FieldCondition;
import dev.kindling.engine.condition.Condition.Not;
import dev.kindling.engine.condition.FieldType;
import dev.kindling.engine.condition.Operator;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GradingProfileTest {

    private static final GradingProfile DEFAULT = new GradingProfile(1, DefaultProfile.NAME, DefaultProfile.criteria());

    /** Seeded so a failure repeats; the seed of the failing case is in the assertion message. */
    private static final long SEED = 20260401L;

    private static final int CASES = 1000;

    @Test
    void aDirectorAtA500PersonCompanyGradesCPlusWithTheDefaultProfile() {
        GradedFit fit = DEFAULT.grade(facts("jobTitle", "Director of Marketing", "employeesOrAccount", 500));

        assertThat(fit.grade()).isEqualTo(Grade.C_PLUS);
        assertThat(fit.explanation())
                .extracting(
                        CriterionResult::label,
                        CriterionResult::outcome,
                        CriterionResult::seen,
                        CriterionResult::weight)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "Senior job title", Outcome.MATCHED, "Director of Marketing", 2),
                        org.assertj.core.groups.Tuple.tuple(
                                "Company of 100 employees or more", Outcome.MATCHED, "500", 2));
    }

    @Test
    void japaneseSeniorityTitlesMatchToo() {
        assertThat(DEFAULT.grade(facts("jobTitle", "営業部長", "employeesOrAccount", 120))
                        .grade())
                .isEqualTo(Grade.C_PLUS);
    }

    @Test
    void aStudentWithAFreeMailAddressAndNoTitleNeverGradesWell() {
        GradedFit unknownEverything = DEFAULT.grade(facts("emailDomain", "gmail.com"));
        assertThat(unknownEverything.grade()).isEqualTo(Grade.D);
        assertThat(unknownEverything.explanation())
                .extracting(CriterionResult::outcome)
                .containsOnly(Outcome.UNKNOWN);

        GradedFit student = DEFAULT.grade(facts("jobTitle", "Student", "employeesOrAccount", 1));
        assertThat(student.grade()).isEqualTo(Grade.F);
        assertThat(student.grade()).isLessThan(Thresholds.DEFAULTS.mqlGrade());
    }

    @Test
    void unmatchedCriteriaLowerByTheirWeightAndUnknownsLeaveTheGradeAlone() {
        GradedFit fit = DEFAULT.grade(facts("jobTitle", "Engineer"));
        assertThat(fit.grade()).isEqualTo(Grade.D_MINUS.lower(1));
        assertThat(fit.explanation()).extracting(CriterionResult::effect).containsExactly(-2, 0);
    }

    @Test
    void inactiveCriteriaAreSkippedUntilTheyHaveValues() {
        GradedFit fit = DEFAULT.grade(facts("industryOrAccount", "Software", "countryOrAccount", "JP"));
        assertThat(fit.explanation())
                .extracting(CriterionResult::label)
                .doesNotContain("Target industry", "Target country");

        List<Criterion> filledIn = new ArrayList<>(DefaultProfile.criteria());
        filledIn.set(
                2,
                new Criterion(
                        0,
                        "Target industry",
                        FitConditionsTest.text("industryOrAccount", Operator.IN, "software", "SaaS"),
                        2));
        GradingProfile organisation = new GradingProfile(1, "Default", filledIn);
        assertThat(organisation.grade(facts("industryOrAccount", " Software ")).grade())
                .isEqualTo(Grade.C_MINUS);
    }

    @Test
    void gradesClampAtAPlusAndF() {
        List<Criterion> heavy = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            heavy.add(new Criterion(i, "c" + i, FitConditionsTest.text("countryOrAccount", Operator.EQ, "JP"), 3));
        }
        GradingProfile profile = new GradingProfile(2, "heavy", heavy);
        assertThat(profile.grade(facts("countryOrAccount", "jp")).grade()).isEqualTo(Grade.A_PLUS);
        assertThat(profile.grade(facts("countryOrAccount", "US")).grade()).isEqualTo(Grade.F);
    }

    @Test
    void theGradeNeverLeavesFToAPlusAndEqualsDPlusTheSumOfEffectsClamped() {
        Random random = new Random(SEED);
        for (int n = 0; n < CASES; n++) {
            long caseSeed = random.nextLong();
            Random gen = new Random(caseSeed);
            GradingProfile profile = randomProfile(gen);
            FitFacts facts = randomFacts(gen);
            GradedFit fit = profile.grade(facts);
            int sum =
                    fit.explanation().stream().mapToInt(CriterionResult::effect).sum();
            int expected = Math.max(0, Math.min(Grade.values().length - 1, Grade.D.ordinal() + sum));
            assertThat(fit.grade()).as("case seed %d", caseSeed).isEqualTo(Grade.values()[expected]);
        }
    }

    @Test
    void theOrderOfCriteriaDoesNotMatter() {
        Random random = new Random(SEED + 1);
        for (int n = 0; n < CASES; n++) {
            long caseSeed = random.nextLong();
            Random gen = new Random(caseSeed);
            GradingProfile profile = randomProfile(gen);
            FitFacts facts = randomFacts(gen);
            List<Criterion> shuffled = new ArrayList<>(profile.criteria());
            Collections.shuffle(shuffled, gen);
            assertThat(new GradingProfile(profile.id(), profile.name(), shuffled)
                            .grade(facts)
                            .grade())
                    .as("case seed %d", caseSeed)
                    .isEqualTo(profile.grade(facts).grade());
        }
    }

    @Test
    void addingACriterionOnAnUnknownFieldNeverChangesTheGrade() {
        Random random = new Random(SEED + 2);
        for (int n = 0; n < CASES; n++) {
            long caseSeed = random.nextLong();
            Random gen = new Random(caseSeed);
            GradingProfile profile = randomProfile(gen);
            Map<String, Object> values = new LinkedHashMap<>(randomFacts(gen).values());
            String empty = FitFacts.FIELDS.get(gen.nextInt(FitFacts.FIELDS.size()));
            values.remove(empty);
            FitFacts facts = FitFacts.of(values);
            List<Criterion> more = new ArrayList<>(profile.criteria());
            more.add(gen.nextInt(more.size() + 1), randomCriterion(gen, empty, 99));
            assertThat(new GradingProfile(profile.id(), profile.name(), more)
                            .grade(facts)
                            .grade())
                    .as("case seed %d", caseSeed)
                    .isEqualTo(profile.grade(facts).grade());
        }
    }

    @Test
    void aProspectGainingAMatchNeverGradesLower() {
        Random random = new Random(SEED + 3);
        for (int n = 0; n < CASES; n++) {
            long caseSeed = random.nextLong();
            Random gen = new Random(caseSeed);
            GradingProfile profile = randomProfile(gen);
            FitFacts facts = randomFacts(gen);
            List<Criterion> more = new ArrayList<>(profile.criteria());
            more.add(new Criterion(
                    99,
                    "always",
                    FitConditionsTest.text("emailDomain", Operator.NE, "never.example"),
                    1 + gen.nextInt(3)));
            FitFacts withDomain = FitFacts.of(merge(facts, "emailDomain", "acme.example"));
            assertThat(new GradingProfile(1, "p", more).grade(withDomain).grade())
                    .as("case seed %d", caseSeed)
                    .isGreaterThanOrEqualTo(profile.grade(withDomain).grade());
        }
    }

    private static Map<String, Object> merge(FitFacts facts, String field, Object value) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.putAll(facts.values());
        values.put(field, value);
        return values;
    }

    private static final List<String> WORDS = List.of(
            "director",
            "manager",
            "engineer",
            "student",
            "JP",
            "US",
            "software",
            "retail",
            "marketing",
            "sales",
            "部長",
            "");

    private static final List<String> NUMBER_FIELDS = List.of("employees", "employeesOrAccount", "account.employees");

    static FieldType type(String field) {
        return NUMBER_FIELDS.contains(field) ? FieldType.NUMBER : FieldType.TEXT;
    }

    static GradingProfile randomProfile(Random gen) {
        int n = gen.nextInt(8);
        List<Criterion> criteria = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String field = FitFacts.FIELDS.get(gen.nextInt(FitFacts.FIELDS.size()));
            criteria.add(randomCriterion(gen, field, i));
        }
        return new GradingProfile(1, "random", criteria);
    }

    /** A criterion whose condition reads only {@code field}: a leaf, or a group of up to three leaves, maybe negated. */
    static Criterion randomCriterion(Random gen, String field, long id) {
        Condition condition;
        int shape = gen.nextInt(4);
        if (shape == 0) {
            condition = randomLeaf(gen, field);
        } else {
            List<Condition> parts = new ArrayList<>();
            for (int i = 0, k = 1 + gen.nextInt(3); i < k; i++) {
                parts.add(randomLeaf(gen, field));
            }
            condition = shape == 1 ? new Any(parts) : shape == 2 ? new All(parts) : new Not(new Any(parts));
        }
        return new Criterion(id, "c" + id, condition, 1 + gen.nextInt(3));
    }

    static FieldCondition randomLeaf(Random gen, String field) {
        FieldType type = type(field);
        List<Operator> operators = type.operators().stream().sorted().toList();
        Operator op = operators.get(gen.nextInt(operators.size()));
        List<Object> values = new ArrayList<>();
        int count = switch (op.arity()) {
            case NONE -> 0;
            case ONE -> 1;
            case TWO -> 2;
            case MANY -> 1 + gen.nextInt(3);
        };
        for (int i = 0; i < count; i++) {
            values.add(
                    type == FieldType.NUMBER
                            ? BigDecimal.valueOf(gen.nextInt(1000))
                            : WORDS.get(gen.nextInt(WORDS.size() - 1)));
        }
        if (op == Operator.BETWEEN) {
            values.sort((a, b) -> ((BigDecimal) a).compareTo((BigDecimal) b));
        }
        return new FieldCondition(field, type, op, values);
    }

    static FitFacts randomFacts(Random gen) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (String field : FitFacts.FIELDS) {
            if (gen.nextInt(3) == 0) {
                continue;
            }
            values.put(
                    field,
                    type(field) == FieldType.NUMBER
                            ? (Object) (long) gen.nextInt(1000)
                            : WORDS.get(gen.nextInt(WORDS.size())));
        }
        return FitFacts.of(values);
    }

    private static FitFacts facts(Object... pairs) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            Object v = pairs[i + 1];
            values.put((String) pairs[i], v instanceof Integer x ? (Object) (long) x : v);
        }
        return FitFacts.of(values);
    }
}

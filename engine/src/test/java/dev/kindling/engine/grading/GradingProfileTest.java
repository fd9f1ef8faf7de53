package dev.kindling.engine.grading;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
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
        GradedFit fit = DEFAULT.grade(facts(FitField.JOB_TITLE, "Director of Marketing", FitField.EMPLOYEES, 500));

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
        assertThat(DEFAULT.grade(facts(FitField.JOB_TITLE, "営業部長", FitField.EMPLOYEES, 120))
                        .grade())
                .isEqualTo(Grade.C_PLUS);
    }

    @Test
    void aStudentWithAFreeMailAddressAndNoTitleNeverGradesWell() {
        GradedFit unknownEverything = DEFAULT.grade(facts(FitField.EMAIL_DOMAIN, "gmail.com"));
        assertThat(unknownEverything.grade()).isEqualTo(Grade.D);
        assertThat(unknownEverything.explanation())
                .extracting(CriterionResult::outcome)
                .containsOnly(Outcome.UNKNOWN);

        GradedFit student = DEFAULT.grade(facts(FitField.JOB_TITLE, "Student", FitField.EMPLOYEES, 1));
        assertThat(student.grade()).isEqualTo(Grade.F);
        assertThat(student.grade()).isLessThan(Thresholds.DEFAULTS.mqlGrade());
    }

    @Test
    void unmatchedCriteriaLowerByTheirWeightAndUnknownsLeaveTheGradeAlone() {
        GradedFit fit = DEFAULT.grade(facts(FitField.JOB_TITLE, "Engineer"));
        assertThat(fit.grade()).isEqualTo(Grade.D_MINUS.lower(1));
        assertThat(fit.explanation()).extracting(CriterionResult::effect).containsExactly(-2, 0);
    }

    @Test
    void inactiveCriteriaAreSkippedUntilTheyHaveValues() {
        GradedFit fit = DEFAULT.grade(facts(FitField.INDUSTRY, "Software", FitField.COUNTRY, "JP"));
        assertThat(fit.explanation())
                .extracting(CriterionResult::label)
                .doesNotContain("Target industry", "Target country");

        List<Criterion> filledIn = new ArrayList<>(DefaultProfile.criteria());
        filledIn.set(
                2,
                new Criterion(
                        0,
                        "Target industry",
                        new Condition(FitField.INDUSTRY, Operator.IN, List.of("software", "SaaS")),
                        2));
        GradingProfile organisation = new GradingProfile(1, "Default", filledIn);
        assertThat(organisation.grade(facts(FitField.INDUSTRY, " Software ")).grade())
                .isEqualTo(Grade.C_MINUS);
    }

    @Test
    void gradesClampAtAPlusAndF() {
        List<Criterion> heavy = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            heavy.add(new Criterion(i, "c" + i, new Condition(FitField.COUNTRY, Operator.EQ, List.of("JP")), 3));
        }
        GradingProfile profile = new GradingProfile(2, "heavy", heavy);
        assertThat(profile.grade(facts(FitField.COUNTRY, "jp")).grade()).isEqualTo(Grade.A_PLUS);
        assertThat(profile.grade(facts(FitField.COUNTRY, "US")).grade()).isEqualTo(Grade.F);
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
            Map<FitField, Object> values = new EnumMap<>(randomFacts(gen).values());
            FitField empty = FitField.values()[gen.nextInt(FitField.values().length)];
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
                    new Condition(FitField.EMAIL_DOMAIN, Operator.NE, List.of("never.example")),
                    1 + gen.nextInt(3)));
            FitFacts withDomain = FitFacts.of(merge(facts, FitField.EMAIL_DOMAIN, "acme.example"));
            assertThat(new GradingProfile(1, "p", more).grade(withDomain).grade())
                    .as("case seed %d", caseSeed)
                    .isGreaterThanOrEqualTo(profile.grade(withDomain).grade());
        }
    }

    private static Map<FitField, Object> merge(FitFacts facts, FitField field, Object value) {
        Map<FitField, Object> values = new EnumMap<>(FitField.class);
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

    static GradingProfile randomProfile(Random gen) {
        int n = gen.nextInt(8);
        List<Criterion> criteria = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            FitField field = FitField.values()[gen.nextInt(FitField.values().length)];
            criteria.add(randomCriterion(gen, field, i));
        }
        return new GradingProfile(1, "random", criteria);
    }

    static Criterion randomCriterion(Random gen, FitField field, long id) {
        List<Operator> operators = java.util.Arrays.stream(Operator.values())
                .filter(o -> o.appliesTo(field.type()))
                .toList();
        Operator op = operators.get(gen.nextInt(operators.size()));
        List<Object> values = new ArrayList<>();
        int count = switch (op.arity()) {
            case ONE -> 1;
            case TWO -> 2;
            case MANY -> 1 + gen.nextInt(3);
        };
        for (int i = 0; i < count; i++) {
            values.add(
                    field.type() == FieldType.NUMBER
                            ? BigDecimal.valueOf(gen.nextInt(1000))
                            : WORDS.get(gen.nextInt(WORDS.size() - 1)));
        }
        if (op == Operator.BETWEEN) {
            values.sort((a, b) -> ((BigDecimal) a).compareTo((BigDecimal) b));
        }
        return new Criterion(id, "c" + id, new Condition(field, op, values), 1 + gen.nextInt(3));
    }

    static FitFacts randomFacts(Random gen) {
        Map<FitField, Object> values = new EnumMap<>(FitField.class);
        for (FitField field : FitField.values()) {
            if (gen.nextInt(3) == 0) {
                continue;
            }
            values.put(
                    field,
                    field.type() == FieldType.NUMBER
                            ? (Object) (long) gen.nextInt(1000)
                            : WORDS.get(gen.nextInt(WORDS.size())));
        }
        return FitFacts.of(values);
    }

    private static FitFacts facts(Object... pairs) {
        Map<FitField, Object> values = new EnumMap<>(FitField.class);
        for (int i = 0; i < pairs.length; i += 2) {
            Object v = pairs[i + 1];
            values.put((FitField) pairs[i], v instanceof Integer x ? (Object) (long) x : v);
        }
        return FitFacts.of(values);
    }
}

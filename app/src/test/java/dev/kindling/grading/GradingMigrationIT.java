package dev.kindling.grading;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.conditions.ConditionNeeds;
import dev.kindling.conditions.ProspectFactsLoader;
import dev.kindling.engine.condition.Condition;
import dev.kindling.engine.grading.Criterion;
import dev.kindling.engine.grading.CriterionResult;
import dev.kindling.engine.grading.DefaultProfile;
import dev.kindling.engine.grading.FitFacts;
import dev.kindling.engine.grading.Grade;
import dev.kindling.engine.grading.GradingProfile;
import dev.kindling.engine.grading.Outcome;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.PropertyRuns;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * V480 rewrote the criteria and assignment rules stored in grading's own field/operator/values form into conditions of
 * the condition language, by the function {@code grading_condition_from_v1} it keeps. Old-form criteria over every
 * field and operator, converted by that very function, grade seeded random prospects (stored with their accounts)
 * exactly as the old criteria did: the old law is written out here as it was, over the facts the old grader's query
 * read.
 */
@IntegrationTest
class GradingMigrationIT {

    private static final long SEED = 20261206L;

    /** The old fit fields: name and whether it held a number. */
    private static final Map<String, Boolean> OLD_FIELDS = new LinkedHashMap<>();

    static {
        for (String text : new String[] {
            "jobTitle",
            "department",
            "industry",
            "country",
            "company",
            "source",
            "emailDomain",
            "account.name",
            "account.industry",
            "account.country",
            "account.tier"
        }) {
            OLD_FIELDS.put(text, false);
        }
        OLD_FIELDS.put("employees", true);
        OLD_FIELDS.put("account.employees", true);
    }

    private static final List<String> TEXT_OPERATORS = List.of("eq", "ne", "in", "notIn", "contains", "matchesAny");
    private static final List<String> NUMBER_OPERATORS = List.of("eq", "ne", "in", "notIn", "gte", "lte", "between");
    private static final List<String> WORDS = List.of(
            "software",
            "Software",
            "marketing",
            "head",
            "vp",
            "director",
            "部長",
            "jp",
            "US",
            "sales",
            "acme.example",
            "gmail.com",
            "a",
            "B",
            "retail",
            "banking",
            "Acme",
            "web",
            "it",
            "ops");
    private static final List<Long> NUMBERS = List.of(0L, 50L, 99L, 100L, 500L, 1000L);

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Grader grader;

    @Autowired
    ConditionCodec conditions;

    @Autowired
    ProspectFactsLoader loader;

    @Autowired
    JsonMapper json;

    String unique;

    @BeforeEach
    void setUp() {
        unique = UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void theMigrationLeftOnlyConditionsInGradingsTables() {
        assertThat(jdbc.sql("""
                        SELECT table_name || '.' || column_name FROM information_schema.columns
                         WHERE table_schema = current_schema()
                           AND table_name IN ('grading_criterion', 'grading_assignment_rule')
                           AND column_name IN ('field', 'operator', 'condition_values', 'condition')
                         ORDER BY 1""").query(String.class).list())
                .containsExactly("grading_assignment_rule.condition", "grading_criterion.condition");
    }

    @Test
    void theOldDefaultProfileBecomesExactlyTheNewDefaultProfile() {
        List<Old> old = List.of(
                new Old("jobTitle", "matchesAny", new ArrayList<>(DefaultProfile.SENIOR_TITLES)),
                new Old("employees", "gte", List.of(100L)),
                new Old("industry", "in", List.of()),
                new Old("country", "in", List.of()));
        List<Condition> converted = convert(old);
        assertThat(converted)
                .containsExactlyElementsOf(DefaultProfile.criteria().stream()
                        .map(Criterion::condition)
                        .toList());
    }

    @Test
    void oldCriteriaConvertedByTheMigrationGradeEveryProspectAsBefore() {
        Random random = new Random(SEED);
        List<Long> ids = prospects(random, 60);
        List<Old> old = new ArrayList<>();
        for (var field : OLD_FIELDS.entrySet()) {
            for (String op : field.getValue() ? NUMBER_OPERATORS : TEXT_OPERATORS) {
                for (int i = 0; i < 4; i++) {
                    old.add(randomOld(random, field.getKey(), field.getValue(), op));
                }
            }
        }
        old.add(new Old("industry", "in", List.of()));
        List<Condition> converted = convert(old);
        Map<Long, Map<String, Object>> oldFacts = oldFacts(ids);
        Map<Long, FitFacts> facts = grader.facts(ids);
        assertThat(facts).hasSize(ids.size());

        int compared = 0;
        Map<Outcome, Integer> seen = new HashMap<>();
        for (long id : ids) {
            for (int i = 0; i < old.size(); i++) {
                Criterion criterion = new Criterion(i, "c" + i, converted.get(i), 1);
                Outcome expected = old.get(i).test(oldFacts.get(id));
                List<CriterionResult> explained = new GradingProfile(1, "one", List.of(criterion))
                        .grade(facts.get(id))
                        .explanation();
                Outcome actual = criterion.isActive() ? explained.getFirst().outcome() : Outcome.UNKNOWN;
                assertThat(actual)
                        .as("prospect %s %s: %s → %s", id, oldFacts.get(id), old.get(i), converted.get(i))
                        .isEqualTo(expected);
                assertThat(criterion.isActive()).isEqualTo(!old.get(i).values().isEmpty());
                seen.merge(expected, 1, Integer::sum);
                compared++;
            }
        }
        assertThat(compared).isEqualTo(ids.size() * old.size());
        assertThat(seen).as("every outcome occurs").containsOnlyKeys(Outcome.values());

        // whole profiles: the old law (D plus the sum of moves, clamped once) over the old outcomes
        for (int n = 0, cases = PropertyRuns.cases(200, 2_000); n < cases; n++) {
            List<Criterion> criteria = new ArrayList<>();
            List<Integer> picked = new ArrayList<>();
            for (int k = 0, size = 1 + random.nextInt(8); k < size; k++) {
                int i = random.nextInt(old.size());
                picked.add(i);
                criteria.add(new Criterion(i, "c" + i, converted.get(i), 1 + random.nextInt(3)));
            }
            GradingProfile profile = new GradingProfile(n, "p" + n, criteria);
            for (long id : ids) {
                int thirds = 0;
                for (int k = 0; k < criteria.size(); k++) {
                    Outcome o = old.get(picked.get(k)).test(oldFacts.get(id));
                    thirds += switch (o) {
                        case MATCHED -> criteria.get(k).weight();
                        case NOT_MATCHED -> -criteria.get(k).weight();
                        case UNKNOWN -> 0;
                    };
                }
                assertThat(profile.grade(facts.get(id)).grade()).isEqualTo(Grade.D.raise(thirds));
            }
        }
    }

    @Test
    void theGradersFactsAreTheConditionLanguagesFieldsOfTheSameNames() {
        List<Long> ids = prospects(new Random(SEED + 1), 30);
        Map<Long, FitFacts> graded = grader.facts(ids);
        var loaded = loader.load(ids, ConditionNeeds.NONE, Instant.now());
        for (long id : ids) {
            Map<String, Object> fields = new LinkedHashMap<>();
            for (String f : FitFacts.FIELDS) {
                fields.put(f, loaded.get(id).fields().get(f));
            }
            assertThat(comparable(FitFacts.of(fields))).as("prospect %d", id).isEqualTo(comparable(graded.get(id)));
        }
    }

    @Test
    void theFieldsAddedForGradingReadTheSameInSqlAsInMemory() {
        List<Long> ids = prospects(new Random(SEED + 2), 40);
        Instant now = Instant.now();
        var loaded = loader.load(ids, ConditionNeeds.NONE, now);
        var evaluator =
                new dev.kindling.engine.condition.ConditionEvaluator(dev.kindling.engine.grading.Thresholds.DEFAULTS);
        List<String> tested = new ArrayList<>();
        for (String condition : List.of(
                "{\"field\":\"industryOrAccount\",\"op\":\"eq\",\"value\":\"software\"}",
                "{\"field\":\"industryOrAccount\",\"op\":\"ne\",\"value\":\"Software\"}",
                "{\"field\":\"industryOrAccount\",\"op\":\"isEmpty\"}",
                "{\"field\":\"countryOrAccount\",\"op\":\"in\",\"value\":[\"jp\",\"US\"]}",
                "{\"field\":\"countryOrAccount\",\"op\":\"contains\",\"value\":\"p\"}",
                "{\"field\":\"employeesOrAccount\",\"op\":\"gte\",\"value\":100}",
                "{\"field\":\"employeesOrAccount\",\"op\":\"between\",\"value\":[50, 99]}",
                "{\"field\":\"employeesOrAccount\",\"op\":\"isNotEmpty\"}",
                "{\"field\":\"emailDomain\",\"op\":\"eq\",\"value\":\"ACME.example\"}",
                "{\"field\":\"emailDomain\",\"op\":\"endsWith\",\"value\":\".com\"}")) {
            Condition c = conditions.read(json.readTree(condition), "");
            var compiled = dev.kindling.conditions.ConditionSql.compile(
                    c, now, dev.kindling.engine.grading.Thresholds.DEFAULTS);
            List<Long> bySql = jdbc.sql("SELECT p.id FROM " + dev.kindling.conditions.ConditionSql.FROM + " WHERE ("
                            + compiled.sql() + ") AND p.id = ANY(:ids) ORDER BY p.id")
                    .params(compiled.params())
                    .param("ids", ids.toArray(Long[]::new))
                    .query(Long.class)
                    .list();
            List<Long> inMemory = ids.stream()
                    .filter(id -> evaluator.matches(c, loaded.get(id), now))
                    .sorted()
                    .toList();
            assertThat(bySql).as(condition).isEqualTo(inMemory);
            if (!inMemory.isEmpty() && inMemory.size() < ids.size()) {
                tested.add(condition);
            }
        }
        assertThat(tested).as("conditions that split the prospects").hasSizeGreaterThanOrEqualTo(8);
    }

    private static Map<String, Object> comparable(FitFacts facts) {
        Map<String, Object> out = new HashMap<>();
        facts.values()
                .forEach((k, v) ->
                        out.put(k, v instanceof Number n ? new BigDecimal(n.toString()).stripTrailingZeros() : v));
        return out;
    }

    /** A criterion (or rule) condition as stored before V480, with the old law of {@code Condition.test}. */
    record Old(String field, String operator, List<Object> values) {

        Outcome test(Map<String, Object> facts) {
            Object value = facts.get(field);
            if (value instanceof String s && s.isBlank()) {
                value = null;
            }
            if (value == null || values.isEmpty()) {
                return Outcome.UNKNOWN;
            }
            boolean matched = OLD_FIELDS.get(field) ? number(decimal(value)) : text(text(value));
            return matched ? Outcome.MATCHED : Outcome.NOT_MATCHED;
        }

        private boolean text(String v) {
            return switch (operator) {
                case "eq" -> v.equals(text(values.getFirst()));
                case "ne" -> !v.equals(text(values.getFirst()));
                case "in" -> values.stream().anyMatch(x -> v.equals(text(x)));
                case "notIn" -> values.stream().noneMatch(x -> v.equals(text(x)));
                case "contains" -> v.contains(text(values.getFirst()));
                case "matchesAny" -> values.stream().anyMatch(x -> v.contains(text(x)));
                default -> throw new IllegalStateException(operator);
            };
        }

        private boolean number(BigDecimal v) {
            return switch (operator) {
                case "eq" -> v.compareTo(decimal(values.getFirst())) == 0;
                case "ne" -> v.compareTo(decimal(values.getFirst())) != 0;
                case "in" -> values.stream().anyMatch(x -> v.compareTo(decimal(x)) == 0);
                case "notIn" -> values.stream().noneMatch(x -> v.compareTo(decimal(x)) == 0);
                case "gte" -> v.compareTo(decimal(values.getFirst())) >= 0;
                case "lte" -> v.compareTo(decimal(values.getFirst())) <= 0;
                case "between" -> v.compareTo(decimal(values.get(0))) >= 0 && v.compareTo(decimal(values.get(1))) <= 0;
                default -> throw new IllegalStateException(operator);
            };
        }

        private static String text(Object o) {
            return o.toString().strip().toLowerCase(Locale.ROOT);
        }

        private static BigDecimal decimal(Object o) {
            return new BigDecimal(o.toString().strip());
        }
    }

    private static Old randomOld(Random random, String field, boolean number, String op) {
        int count = switch (op) {
            case "in", "notIn", "matchesAny" -> 1 + random.nextInt(3);
            case "between" -> 2;
            default -> 1;
        };
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            values.add(number ? NUMBERS.get(random.nextInt(NUMBERS.size())) : WORDS.get(random.nextInt(WORDS.size())));
        }
        if (op.equals("between")) {
            values.sort((a, b) -> Long.compare((Long) a, (Long) b));
        }
        return new Old(field, op, values);
    }

    /** The old criteria converted by the migration's function, each read as the grading API reads conditions. */
    private List<Condition> convert(List<Old> old) {
        List<String> converted = jdbc
                .sql("""
                        SELECT grading_condition_from_v1(u.field, u.operator, CAST(u.vals AS jsonb))::text
                          FROM unnest(CAST(:fields AS text[]), CAST(:operators AS text[]), CAST(:vals AS text[]))
                               WITH ORDINALITY AS u(field, operator, vals, at)
                         ORDER BY u.at""")
                .param("fields", old.stream().map(Old::field).toArray(String[]::new))
                .param("operators", old.stream().map(Old::operator).toArray(String[]::new))
                .param(
                        "vals",
                        old.stream()
                                .map(o -> json.writeValueAsString(o.values()))
                                .toArray(String[]::new))
                .query((rs, n) -> java.util.Optional.ofNullable(rs.getString(1)))
                .list()
                .stream()
                .map(o -> o.orElse(null))
                .toList();
        List<Condition> out = new ArrayList<>();
        for (String c : converted) {
            out.add(c == null ? null : conditions.read(json.readTree(c), ""));
        }
        return out;
    }

    /** Seeded random prospects, some with an account, with blanks, case and surrounding spaces in their values. */
    private List<Long> prospects(Random random, int count) {
        List<String> titles = List.of(
                "Director of Sales", "  head of IT ", "Student", "", "   ", "営業部長", "VP", "vp Marketing", "CHIEF");
        List<String> departments = List.of("Marketing", " marketing", "Sales", "IT", "");
        List<String> industries = List.of("Software", " software ", "", "  ", "Retail", "Banking");
        List<String> countries = List.of("JP", "jp ", "", "US", " ");
        List<String> domains = List.of("acme.example", "gmail.com", "web.example");
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Long account = null;
            if (random.nextInt(3) > 0) {
                account = jdbc.sql("""
                                INSERT INTO account (name, domain, industry, employees, country, tier, created_at)
                                VALUES (:name, :domain, :industry, :employees, :country, :tier, now()) RETURNING id""")
                        .param("name", pick(random, List.of("Acme", "web co", "Banking AG")) + " " + unique + i)
                        .param("domain", "mig-" + unique + "-" + i + ".example")
                        .param("industry", pick(random, industries))
                        .param("employees", pick(random, java.util.Arrays.asList(null, 99, 100, 1000, 50)))
                        .param("country", pick(random, countries))
                        .param("tier", pick(random, java.util.Arrays.asList("A", "b", null, " B ")))
                        .query(Long.class)
                        .single();
            }
            ids.add(jdbc.sql("""
                            INSERT INTO prospect (email, account_id, job_title, department, industry, employees, country,
                                                  company, source, captured_at, created_at, updated_at)
                            VALUES (:email, :account, :title, :department, :industry, :employees, :country, :company,
                                    :source, now(), now(), now()) RETURNING id""")
                    .param("email", "mig-" + unique + "-" + i + "@" + pick(random, domains))
                    .param("account", account)
                    .param("title", pick(random, titles))
                    .param("department", pick(random, departments))
                    .param("industry", pick(random, industries))
                    .param("employees", pick(random, java.util.Arrays.asList(null, null, 50, 100, 500)))
                    .param("country", pick(random, countries))
                    .param("company", pick(random, java.util.Arrays.asList("Acme", " acme ", null)))
                    .param("source", pick(random, java.util.Arrays.asList("Web", "it", null)))
                    .query(Long.class)
                    .single());
        }
        return ids;
    }

    private static <T> T pick(Random random, List<T> values) {
        T v = values.get(random.nextInt(values.size()));
        return v;
    }

    /** The facts exactly as the grader read them before V480 (its query then), by the old field names. */
    private Map<Long, Map<String, Object>> oldFacts(List<Long> ids) {
        Map<Long, Map<String, Object>> facts = new HashMap<>();
        jdbc.sql("""
                        SELECT p.id, p.job_title, p.department, p.company, p.source,
                               coalesce(nullif(btrim(p.industry), ''), a.industry) AS industry,
                               coalesce(p.employees, a.employees) AS employees,
                               coalesce(nullif(btrim(p.country), ''), a.country) AS country,
                               split_part(p.email, '@', 2) AS email_domain,
                               a.name AS account_name, a.industry AS account_industry,
                               a.employees AS account_employees, a.country AS account_country, a.tier AS account_tier
                          FROM prospect p LEFT JOIN account a ON a.id = p.account_id
                         WHERE p.id = ANY(:ids)""")
                .param("ids", ids.toArray(Long[]::new))
                .query((rs, n) -> {
                    Map<String, Object> v = new HashMap<>();
                    v.put("jobTitle", rs.getString("job_title"));
                    v.put("department", rs.getString("department"));
                    v.put("company", rs.getString("company"));
                    v.put("source", rs.getString("source"));
                    v.put("industry", rs.getString("industry"));
                    v.put("employees", rs.getObject("employees"));
                    v.put("country", rs.getString("country"));
                    v.put("emailDomain", rs.getString("email_domain"));
                    v.put("account.name", rs.getString("account_name"));
                    v.put("account.industry", rs.getString("account_industry"));
                    v.put("account.employees", rs.getObject("account_employees"));
                    v.put("account.country", rs.getString("account_country"));
                    v.put("account.tier", rs.getString("account_tier"));
                    return facts.put(rs.getLong("id"), v);
                })
                .list();
        return facts;
    }
}

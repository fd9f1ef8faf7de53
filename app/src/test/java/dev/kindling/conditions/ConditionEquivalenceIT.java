package dev.kindling.conditions;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.kindling.engine.activity.Activity;
import dev.kindling.engine.condition.Condition;
import dev.kindling.engine.condition.ConditionEvaluator;
import dev.kindling.engine.condition.ProspectFacts;
import dev.kindling.engine.grading.Thresholds;
import dev.kindling.support.PropertyRuns;
import dev.kindling.support.TestDatabase;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The law of SPEC §6: a condition evaluated in memory for each prospect selects exactly the prospects
 * its compiled SQL selects. Random prospects (with list memberships and opportunities through contact roles, some
 * shared between prospects, many prospects with none) and conditions from fixed seeds, in a fresh database.
 */
class ConditionEquivalenceIT {

    private static final long SEED = 20260301L;
    private static final int PROSPECTS = 300;
    private static final int CONDITIONS = PropertyRuns.cases(150, 2_000);
    private static final Thresholds THRESHOLDS = Thresholds.DEFAULTS;
    private static final Map<String, String> COLUMN_TO_FIELD = Map.ofEntries(
            Map.entry("email", "email"),
            Map.entry("first_name", "firstName"),
            Map.entry("last_name", "lastName"),
            Map.entry("company", "company"),
            Map.entry("job_title", "jobTitle"),
            Map.entry("department", "department"),
            Map.entry("industry", "industry"),
            Map.entry("country", "country"),
            Map.entry("phone", "phone"),
            Map.entry("website", "website"),
            Map.entry("source", "source"),
            Map.entry("employees", "employees"),
            Map.entry("opted_out", "optedOut"),
            Map.entry("do_not_email", "doNotEmail"),
            Map.entry("hard_bounced", "hardBounced"),
            Map.entry("created_at", "createdAt"),
            Map.entry("captured_at", "capturedAt"));

    private static HikariDataSource dataSource;
    private static NamedParameterJdbcTemplate jdbc;
    private static final List<ProspectFacts> facts = new ArrayList<>();
    private static final List<Long> owners = new ArrayList<>();
    private static final List<Long> lists = new ArrayList<>();
    private static ProspectFactsLoader loader;

    private final ConditionEvaluator evaluator = new ConditionEvaluator(THRESHOLDS);
    private final JsonMapper json = JsonMapper.builder().build();

    @BeforeAll
    static void storeRandomProspects() throws Exception {
        dataSource = TestDatabase.ownMigratedDataSource("conditions");
        jdbc = new NamedParameterJdbcTemplate(dataSource);
        Timestamp now = Timestamp.from(RandomProspects.NOW);
        for (int i = 0; i < 3; i++) {
            owners.add(jdbc.queryForObject(
                    "INSERT INTO app_user (email, name, role, created_at) "
                            + "VALUES (:email, 'Owner', 'SALES', :now) RETURNING id",
                    Map.of("email", "o" + i + "@k.test", "now", now),
                    Long.class));
        }
        for (int i = 0; i < 2; i++) {
            jdbc.update(
                    "INSERT INTO campaign (name, channel, created_at) VALUES ('c', 'EMAIL', :now)", Map.of("now", now));
        }
        for (int i = 0; i < 3; i++) {
            lists.add(jdbc.queryForObject(
                    "INSERT INTO list (name, kind, created_at, updated_at) "
                            + "VALUES (:name, 'STATIC', :now, :now) RETURNING id",
                    Map.of("name", "list " + i, "now", now),
                    Long.class));
        }
        loader =
                new ProspectFactsLoader(org.springframework.jdbc.core.simple.JdbcClient.create(dataSource), dataSource);
        Random memberships = new Random(SEED + 7);
        Random contacts = new Random(SEED + 11);
        RandomProspects deals = new RandomProspects(new Random(SEED + 13));
        List<Long> opportunityIds = new ArrayList<>();
        Map<Long, ProspectFacts.Opportunity> opportunities = new LinkedHashMap<>();
        for (int i = 0; i < 120; i++) {
            ProspectFacts.Opportunity deal = deals.opportunity();
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("name", "deal " + i);
            o.put("amount", deal.amount());
            o.put("status", deal.status().name());
            o.put("type", deal.type() == null ? null : deal.type().name());
            o.put("reason", deal.lostReason() == null ? null : deal.lostReason().name());
            o.put("closed", deal.closedAt() == null ? null : Timestamp.from(deal.closedAt()));
            o.put("now", now);
            long id = jdbc.queryForObject(
                    "INSERT INTO opportunity (name, amount, currency, stage, status, type, "
                            + "lost_reason, closed_at, created_at, updated_at) VALUES (:name, :amount, 'USD', 'Stage', :status, "
                            + ":type, :reason, :closed, :now, :now) RETURNING id",
                    o,
                    Long.class);
            opportunityIds.add(id);
            opportunities.put(id, deal);
        }
        RandomProspects random = new RandomProspects(new Random(SEED));
        List<RandomProspects.Account> accounts = new ArrayList<>();
        List<Long> accountIds = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            RandomProspects.Account account = random.account();
            accounts.add(account);
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("name", account.name());
            p.put("domain", account.domain());
            p.put("industry", account.industry());
            p.put("employees", account.employees());
            p.put("country", account.country());
            p.put("tier", account.tier());
            p.put("now", now);
            accountIds.add(jdbc.queryForObject(
                    "INSERT INTO account (name, domain, industry, employees, country, tier, "
                            + "created_at) VALUES (:name, :domain, :industry, :employees, :country, :tier, :now) RETURNING id",
                    p,
                    Long.class));
        }
        JsonMapper mapper = JsonMapper.builder().build();
        for (int i = 0; i < PROSPECTS; i++) {
            RandomProspects.Prospect prospect = random.prospect(accounts.size(), owners, i);
            Map<String, Object> p = new LinkedHashMap<>();
            prospect.columns().forEach((k, v) -> p.put(k, v instanceof Instant at ? Timestamp.from(at) : v));
            p.put("custom", mapper.writeValueAsString(prospect.custom()));
            p.put("account_id", prospect.account() == null ? null : accountIds.get(prospect.account()));
            p.put("owner_id", prospect.owner());
            p.put("score", prospect.score());
            p.put("grade", prospect.grade());
            p.put("stage", prospect.stage().name());
            p.put(
                    "last_activity_at",
                    prospect.lastActivityAt() == null ? null : Timestamp.from(prospect.lastActivityAt()));
            p.put("updated_at", now);
            String columns = String.join(", ", p.keySet());
            String values = String.join(
                    ", ",
                    p.keySet().stream()
                            .map(k -> k.equals("custom") ? "CAST(:custom AS jsonb)" : ":" + k)
                            .toList());
            long id = jdbc.queryForObject(
                    "INSERT INTO prospect (" + columns + ") VALUES (" + values + ") RETURNING id", p, Long.class);
            int n = 0;
            for (Activity activity : prospect.activities()) {
                Map<String, Object> a = new LinkedHashMap<>();
                a.put("external_id", "a-" + id + "-" + n++);
                a.put("type", activity.type().name());
                a.put("custom_name", activity.customName());
                a.put("occurred_at", Timestamp.from(activity.occurredAt()));
                a.put("received_at", now);
                a.put("prospect_id", id);
                a.put("campaign_id", activity.campaignId());
                a.put("properties", mapper.writeValueAsString(activity.properties()));
                a.put("bot", activity.bot());
                a.put("processed_at", n % 2 == 0 ? now : null);
                jdbc.update(
                        "INSERT INTO activity (external_id, type, custom_name, occurred_at, received_at, prospect_id, "
                                + "campaign_id, properties, bot, processed_at) VALUES (:external_id, :type, :custom_name, "
                                + ":occurred_at, :received_at, :prospect_id, :campaign_id, CAST(:properties AS jsonb), :bot, "
                                + ":processed_at)",
                        a);
            }
            Set<Long> memberOf = new TreeSet<>();
            for (long list : lists) {
                if (memberships.nextInt(3) == 0) {
                    memberOf.add(list);
                    jdbc.update(
                            "INSERT INTO list_member (list_id, prospect_id, since) VALUES (:list, :id, :now)",
                            Map.of("list", list, "id", id, "now", now));
                }
            }
            Set<Long> dealsOf = new TreeSet<>();
            int count = contacts.nextInt(2) == 0 ? 0 : 1 + contacts.nextInt(3);
            while (dealsOf.size() < count) {
                dealsOf.add(opportunityIds.get(contacts.nextInt(opportunityIds.size())));
            }
            for (long deal : dealsOf) {
                jdbc.update(
                        "INSERT INTO opportunity_contact_role (opportunity_id, prospect_id, role, created_at) "
                                + "VALUES (:deal, :id, 'OTHER', :now)",
                        Map.of("deal", deal, "id", id, "now", now));
            }
            ProspectFacts generated = RandomProspects.facts(
                    id,
                    prospect,
                    prospect.account() == null ? null : accounts.get(prospect.account()),
                    COLUMN_TO_FIELD);
            facts.add(new ProspectFacts(
                    id,
                    generated.fields(),
                    generated.score(),
                    generated.grade(),
                    generated.stage(),
                    generated.ownerId(),
                    memberOf,
                    generated.activities(),
                    generated.lastActivityAt(),
                    dealsOf.stream().map(opportunities::get).toList(),
                    null));
        }
    }

    @AfterAll
    static void stopDatabase() {
        dataSource.close();
    }

    @Test
    void everyConditionSelectsTheSameProspectsInMemoryAndInSql() {
        Random seeds = new Random(SEED + 1);
        int nonTrivial = 0;
        int nonTrivialOpportunities = 0;
        for (int n = 0; n < CONDITIONS; n++) {
            long caseSeed = seeds.nextLong();
            Condition condition = new RandomConditions(new Random(caseSeed), owners, lists).condition(1);
            String text = json.writeValueAsString(ConditionJson.write(condition));
            assertThat(parse(caseSeed, text))
                    .as("case seed %d: the JSON form reads back as the same condition: %s", caseSeed, text)
                    .isEqualTo(condition);

            Set<Long> inMemory = new TreeSet<>();
            for (ProspectFacts prospect : facts) {
                if (evaluator.matches(condition, prospect, RandomProspects.NOW)) {
                    inMemory.add(prospect.id());
                }
            }
            ConditionSql.Compiled compiled = ConditionSql.compile(condition, RandomProspects.NOW, THRESHOLDS);
            Set<Long> inSql = new TreeSet<>(jdbc.queryForList(
                    "SELECT p.id FROM " + ConditionSql.FROM + " WHERE " + compiled.sql(),
                    compiled.params(),
                    Long.class));

            if (!inMemory.equals(inSql)) {
                Set<Long> differing = new HashSet<>(inMemory);
                differing.addAll(inSql);
                differing.removeIf(id -> inMemory.contains(id) && inSql.contains(id));
                long id = differing.iterator().next();
                ProspectFacts prospect =
                        facts.stream().filter(f -> f.id() == id).findFirst().orElseThrow();
                assertThat(inSql)
                        .as(
                                "case seed %d, condition %s%nSQL %s%nparams %s%nprospect %d (in memory: %s) %s",
                                caseSeed, text, compiled.sql(), compiled.params(), id, inMemory.contains(id), prospect)
                        .isEqualTo(inMemory);
            }
            Set<Long> loaded = new TreeSet<>();
            loader.load(
                            facts.stream().map(ProspectFacts::id).toList(),
                            ConditionNeeds.of(condition),
                            RandomProspects.NOW)
                    .values()
                    .forEach(f -> {
                        if (evaluator.matches(condition, f, RandomProspects.NOW)) {
                            loaded.add(f.id());
                        }
                    });
            assertThat(loaded)
                    .as(
                            "case seed %d, condition %s: facts as ProspectFactsLoader loads them (only what "
                                    + "the condition needs) give the same answer",
                            caseSeed, text)
                    .isEqualTo(inSql);
            if (!inMemory.isEmpty() && inMemory.size() < facts.size()) {
                nonTrivial++;
                if (ConditionNeeds.of(condition).opportunities()) {
                    nonTrivialOpportunities++;
                }
            }
        }
        assertThat(nonTrivial)
                .as("conditions that select some but not all prospects")
                .isGreaterThan(CONDITIONS / 2);
        assertThat(nonTrivialOpportunities)
                .as("such conditions with an opportunity leaf")
                .isGreaterThan(CONDITIONS / 20);
    }

    private Condition parse(long caseSeed, String text) {
        try {
            return ConditionJson.parse(json.readTree(text), RandomConditions.CUSTOM_FIELDS, "");
        } catch (dev.kindling.platform.web.InvalidInputException e) {
            throw new AssertionError("case seed " + caseSeed + ": " + text + " is refused: " + e.errors(), e);
        }
    }

    @Test
    void theAccountsProspectCountsAreLoadedOnlyForConditionsReadingThemAndThenAsSqlCountsThem() {
        List<Long> ids = facts.stream().map(ProspectFacts::id).toList();
        int nonTrivial = 0;
        for (String field : List.of("account.contacts", "account.engagedContacts")) {
            for (long atLeast = 0; atLeast <= 6; atLeast++) {
                Condition condition = new Condition.FieldCondition(
                        field,
                        dev.kindling.engine.condition.FieldType.NUMBER,
                        dev.kindling.engine.condition.Operator.GTE,
                        List.of(java.math.BigDecimal.valueOf(atLeast)));
                assertThat(ConditionNeeds.of(condition).accountCounts()).isTrue();
                ConditionSql.Compiled compiled = ConditionSql.compile(condition, RandomProspects.NOW, THRESHOLDS);
                Set<Long> inSql = new TreeSet<>(jdbc.queryForList(
                        "SELECT p.id FROM " + ConditionSql.FROM + " WHERE " + compiled.sql(),
                        compiled.params(),
                        Long.class));
                Set<Long> loaded = new TreeSet<>();
                loader.load(ids, ConditionNeeds.of(condition), RandomProspects.NOW)
                        .values()
                        .forEach(f -> {
                            if (evaluator.matches(condition, f, RandomProspects.NOW)) {
                                loaded.add(f.id());
                            }
                        });
                assertThat(loaded).as("%s >= %d", field, atLeast).isEqualTo(inSql);
                if (!inSql.isEmpty() && inSql.size() < ids.size()) {
                    nonTrivial++;
                }
            }
        }
        assertThat(nonTrivial)
                .as("count conditions that select some but not all prospects")
                .isGreaterThan(2);
        Condition other = new Condition.FieldCondition(
                "account.employees",
                dev.kindling.engine.condition.FieldType.NUMBER,
                dev.kindling.engine.condition.Operator.GTE,
                List.of(java.math.BigDecimal.ONE));
        assertThat(ConditionNeeds.of(other).accountCounts()).isFalse();
        assertThat(loader.load(ids, ConditionNeeds.of(other), RandomProspects.NOW)
                        .values())
                .as("no condition reads the counts: they are not computed")
                .allSatisfy(
                        f -> assertThat(f.fields()).doesNotContainKeys("account.contacts", "account.engagedContacts"));
    }

    @Test
    void manyConditionsEvaluatedTogetherGiveEachTheOutcomeItHasAlone() {
        Random random = new Random(SEED + 3);
        List<Condition> conditions = new ArrayList<>();
        for (int n = 0; n < 200; n++) {
            Condition condition = new RandomConditions(random, owners, lists).condition(1);
            conditions.add(condition);
            if (n % 4 == 0) {
                conditions.add(condition); // the same condition twice, as rules and lists often share one
            }
        }
        for (ProspectFacts prospect : facts) {
            List<ConditionEvaluator.Outcome> together = evaluator.outcomes(conditions, prospect, RandomProspects.NOW);
            for (int i = 0; i < conditions.size(); i++) {
                assertThat(together.get(i))
                        .as("prospect %d, condition %s", prospect.id(), conditions.get(i))
                        .isEqualTo(evaluator.outcome(conditions.get(i), prospect, RandomProspects.NOW));
            }
        }
    }

    @Test
    void theNextFlipIsTheFirstInstantTheAnswerChangesWithTheClockAlone() {
        Random seeds = new Random(SEED + 2);
        int flips = 0;
        for (int n = 0; n < CONDITIONS; n++) {
            long caseSeed = seeds.nextLong();
            Random random = new Random(caseSeed);
            Condition condition = new RandomConditions(random, owners, lists).condition(1);
            for (int i = 0; i < 20; i++) {
                ProspectFacts prospect = facts.get(random.nextInt(facts.size()));
                boolean now = evaluator.matches(condition, prospect, RandomProspects.NOW);
                var flip = evaluator.nextFlip(condition, prospect, RandomProspects.NOW);
                if (flip.isEmpty()) {
                    continue;
                }
                flips++;
                Instant at = flip.get();
                assertThat(evaluator.matches(condition, prospect, at))
                        .as("case seed %d, prospect %d, flip %s", caseSeed, prospect.id(), at)
                        .isNotEqualTo(now);
                assertThat(evaluator.matches(condition, prospect, at.minusNanos(1000)))
                        .as("case seed %d, prospect %d, just before flip %s", caseSeed, prospect.id(), at)
                        .isEqualTo(now);
                Instant midway = RandomProspects.NOW.plusNanos(
                        (at.toEpochMilli() - RandomProspects.NOW.toEpochMilli()) / 2 * 1_000_000);
                assertThat(evaluator.matches(condition, prospect, midway))
                        .as("case seed %d, prospect %d, between now and flip %s", caseSeed, prospect.id(), at)
                        .isEqualTo(now);
            }
        }
        assertThat(flips).as("cases with a flip").isGreaterThan(CONDITIONS * 2 / 5);
    }
}

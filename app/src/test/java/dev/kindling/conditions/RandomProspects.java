package dev.kindling.conditions;

import dev.kindling.engine.activity.Activity;
import dev.kindling.engine.activity.ActivityType;
import dev.kindling.engine.condition.GradeOrder;
import dev.kindling.engine.condition.ProspectFacts;
import dev.kindling.engine.lifecycle.LifecycleStage;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random prospects for condition property tests: values drawn from small pools with case variants,
 * empty strings, unicode and nulls, and instants on the day boundaries conditions test, so
 * conditions built from the same pools match often and hit the edge cases.
 */
final class RandomProspects {

    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final List<String> TEXTS = List.of(
            "Software",
            "software",
            "SOFTWARE",
            "Finance",
            "finance services",
            "Ärzte",
            "ärzte",
            "ΟΔΟΣ",
            "οδος",
            "İstanbul",
            "istanbul",
            "東京都",
            "Straße",
            "STRASSE",
            "",
            " ",
            "a_b%c",
            "O'Brien",
            "x\\y",
            "Director of Sales",
            "VP Marketing",
            "DE",
            "de",
            "JP",
            "pricing-page");
    static final List<String> URLS = List.of(
            "https://ex.com/Pricing", "https://ex.com/pricing?x=1", "https://ex.com/blog/ÄRZTE", "https://ex.com/", "");
    static final List<String> FORMS = List.of("Contact Us", "contact us", "Newsletter", "Demo");
    static final List<String> EMAIL_IDS = List.of("e1", "E1", "e2");
    static final List<String> CUSTOM_NAMES = List.of("Trial", "trial", "Signup");
    static final List<Long> DAY_COUNTS = List.of(0L, 1L, 7L, 30L, 90L, 365L);
    /** Stored amounts (the column keeps two decimals, so 100 reads back as 100.00). */
    static final List<String> OPPORTUNITY_AMOUNTS = List.of("0", "99.99", "100", "100.00", "1000.5", "5000");
    /** Thresholds of conditions (as a JSON number, 100.00 would read back as 100.0: a different BigDecimal). */
    static final List<String> MIN_AMOUNTS = List.of("0", "99.99", "100", "1000.5", "5000", "5000.01");

    static final List<ActivityType> TYPES = List.of(
            ActivityType.PAGE_VIEW,
            ActivityType.EMAIL_CLICK,
            ActivityType.FORM_SUBMIT,
            ActivityType.EMAIL_OPEN,
            ActivityType.CUSTOM,
            ActivityType.DEMO_REQUEST);

    /** A generated account (id assigned when stored). */
    record Account(String name, String domain, String industry, Integer employees, String country, String tier) {}

    /** A generated prospect: columns as stored, plus its activities. */
    record Prospect(
            Map<String, Object> columns,
            Map<String, Object> custom,
            Integer account,
            Long owner,
            int score,
            String grade,
            LifecycleStage stage,
            Instant lastActivityAt,
            List<Activity> activities) {}

    private final Random random;

    RandomProspects(Random random) {
        this.random = random;
    }

    <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    String text() {
        return random.nextInt(6) == 0 ? null : pick(TEXTS);
    }

    /** An instant near {@link #NOW}: often exactly a whole number of days away, sometimes a little off. */
    Instant instant() {
        Instant base = NOW.minus(Duration.ofDays(pick(DAY_COUNTS) + (random.nextBoolean() ? 0 : random.nextInt(400))));
        return switch (random.nextInt(5)) {
            case 0 -> base.plusMillis(1);
            case 1 -> base.minusMillis(1);
            case 2 -> base.plusSeconds(random.nextInt(86_400));
            default -> base;
        };
    }

    /** A random opportunity: closed ones have a close instant near {@link #NOW}, open ones none. */
    ProspectFacts.Opportunity opportunity() {
        ProspectFacts.OpportunityStatus status = pick(List.of(ProspectFacts.OpportunityStatus.values()));
        return new ProspectFacts.Opportunity(
                status,
                new BigDecimal(pick(OPPORTUNITY_AMOUNTS)),
                random.nextInt(3) == 0 ? null : pick(List.of(ProspectFacts.OpportunityType.values())),
                status == ProspectFacts.OpportunityStatus.OPEN ? null : instant(),
                status == ProspectFacts.OpportunityStatus.LOST
                        ? pick(List.of(ProspectFacts.LostReason.values()))
                        : null);
    }

    Account account() {
        return new Account(
                pick(TEXTS),
                random.nextBoolean() ? null : "d" + random.nextInt(1_000_000) + ".test",
                text(),
                random.nextInt(4) == 0 ? null : pick(List.of(10, 100, 500, 5000)),
                text(),
                text());
    }

    Prospect prospect(int accounts, List<Long> owners, int index) {
        Map<String, Object> columns = new LinkedHashMap<>();
        columns.put("email", "p" + index + "-" + random.nextInt(1000) + "@example.test");
        for (String column : List.of(
                "first_name",
                "last_name",
                "company",
                "job_title",
                "department",
                "industry",
                "country",
                "phone",
                "website",
                "source")) {
            columns.put(column, text());
        }
        columns.put("employees", random.nextInt(4) == 0 ? null : pick(List.of(0, 10, 99, 100, 101, 5000)));
        columns.put("opted_out", random.nextBoolean());
        columns.put("do_not_email", random.nextBoolean());
        columns.put("hard_bounced", random.nextInt(5) == 0);
        columns.put("created_at", instant());
        columns.put("captured_at", instant());
        Map<String, Object> custom = new HashMap<>();
        switch (random.nextInt(4)) {
            case 0 -> custom.put("budget", new BigDecimal(pick(List.of("0", "10", "10.5", "99.99", "1000"))));
            case 1 -> custom.put("budget", "10");
            default -> {}
        }
        if (random.nextInt(3) > 0) {
            custom.put("tier", pick(TEXTS));
        }
        switch (random.nextInt(4)) {
            case 0 -> custom.put("renewal", instant().toString().substring(0, 10));
            case 1 -> custom.put("renewal", "soon");
            default -> {}
        }
        switch (random.nextInt(4)) {
            case 0 -> custom.put("vip", true);
            case 1 -> custom.put("vip", false);
            case 2 -> custom.put("vip", "true");
            default -> {}
        }
        int score = random.nextInt(3) == 0 ? pick(List.of(0, 49, 50, 51, 100)) : random.nextInt(150);
        String grade = switch (random.nextInt(8)) {
            case 0 -> null;
            case 1 -> "Z";
            default -> pick(GradeOrder.GRADES);
        };
        LifecycleStage stage = pick(List.of(LifecycleStage.values()).subList(1, LifecycleStage.values().length));
        Integer account = accounts == 0 || random.nextInt(4) == 0 ? null : random.nextInt(accounts);
        Long owner = random.nextBoolean() ? null : pick(owners);
        List<Activity> activities = new ArrayList<>();
        int count = random.nextInt(4) == 0 ? 0 : random.nextInt(9);
        for (int i = 0; i < count; i++) {
            ActivityType type = pick(TYPES);
            Map<String, String> properties = new HashMap<>();
            if (random.nextBoolean()) {
                properties.put("url", pick(URLS));
            }
            if (random.nextInt(3) == 0) {
                properties.put("formName", pick(FORMS));
            }
            if (random.nextInt(3) == 0) {
                properties.put("emailId", pick(EMAIL_IDS));
            }
            activities.add(new Activity(
                    0,
                    type,
                    type == ActivityType.CUSTOM ? pick(CUSTOM_NAMES) : null,
                    instant(),
                    random.nextInt(3) == 0 ? null : (long) (1 + random.nextInt(2)),
                    properties,
                    random.nextInt(8) == 0));
        }
        Instant last = random.nextInt(5) == 0 ? null : instant();
        return new Prospect(columns, custom, account, owner, score, grade, stage, last, activities);
    }

    /** What the evaluator sees of a stored prospect. */
    static ProspectFacts facts(long id, Prospect prospect, Account account, Map<String, String> columnToField) {
        Map<String, Object> fields = new HashMap<>();
        prospect.columns().forEach((column, value) -> {
            String field = columnToField.get(column);
            if (field != null) {
                fields.put(field, value);
            }
        });
        fields.put("lastActivityAt", prospect.lastActivityAt());
        if (account != null) {
            fields.put("account.name", account.name());
            fields.put("account.domain", account.domain());
            fields.put("account.industry", account.industry());
            fields.put("account.employees", account.employees());
            fields.put("account.country", account.country());
            fields.put("account.tier", account.tier());
        }
        prospect.custom().forEach((key, value) -> fields.put("custom." + key, value));
        return new ProspectFacts(
                id,
                fields,
                prospect.score(),
                prospect.grade(),
                prospect.stage(),
                prospect.owner(),
                null,
                prospect.activities(),
                prospect.lastActivityAt(),
                null,
                null);
    }
}

package dev.kindling.bench.evaluation;

import dev.kindling.engine.activity.Activity;
import dev.kindling.engine.activity.ActivityType;
import dev.kindling.engine.condition.Condition;
import dev.kindling.engine.condition.FieldType;
import dev.kindling.engine.condition.Operator;
import dev.kindling.engine.condition.ProspectFacts;
import dev.kindling.engine.lifecycle.LifecycleStage;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * W8's rules in two forms: as the engine's {@link Condition}s and as a hand-written {@code if} chain deciding the same
 * thing. The N rules follow the five shapes of W1's rule set (repeat clickers, pricing readers in an industry, an
 * activity ever, large-company form fills, quiet for N days), each rule with its own thresholds, windows, URLs and
 * industries, so no two are the same condition. One prospect's state: fields, a score and a history of activities
 * over a year, the event (an email click on a pricing link, just now) the last of them.
 */
public final class RuleBook {

    /** One rule's parameters; {@code shape} is 0–4 (see the class comment). */
    public record Rule(
            int shape,
            int atLeast,
            long withinDays,
            int minScore,
            String url,
            List<String> industries,
            ActivityType everType,
            BigDecimal minEmployees,
            long quietDays) {}

    private static final String[] URLS = {"pricing", "docs", "blog", "careers", "compare"};
    private static final ActivityType[] EVER = {
        ActivityType.UNSUBSCRIBE, ActivityType.WEBINAR_ATTENDED, ActivityType.DEMO_REQUEST, ActivityType.EVENT_ATTENDED
    };
    private static final List<List<String>> INDUSTRIES = List.of(
            List.of("Software", "IT Services"),
            List.of("Finance"),
            List.of("Software", "Retail", "Manufacturing"),
            List.of("Health"));

    private RuleBook() {}

    /** {@code n} rules, the i-th of shape i mod 5. */
    public static List<Rule> rules(int n) {
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = i / 5;
            rules.add(new Rule(
                    i % 5,
                    i % 5 == 2 ? 1 + k / 4 : 1 + k % 3,
                    7 + k % 60,
                    10 + k % 40,
                    URLS[k % URLS.length],
                    INDUSTRIES.get(k % INDUSTRIES.size()),
                    EVER[k % EVER.length],
                    BigDecimal.valueOf(100 + 25L * k),
                    30 + k % 90));
        }
        return rules;
    }

    /** Each rule as the engine's condition. */
    public static List<Condition> conditions(List<Rule> rules) {
        List<Condition> conditions = new ArrayList<>();
        for (Rule r : rules) {
            conditions.add(
                    switch (r.shape()) {
                        case 0 ->
                            new Condition.All(List.of(
                                    new Condition.ActivityCondition(
                                            ActivityType.EMAIL_CLICK, null, r.atLeast(), r.withinDays(), true),
                                    new Condition.ScoreCondition(Operator.GTE, List.of((long) r.minScore()))));
                        case 1 ->
                            new Condition.All(List.of(
                                    new Condition.FieldCondition(
                                            "industry", FieldType.TEXT, Operator.IN, List.copyOf(r.industries())),
                                    new Condition.ActivityCondition(
                                            ActivityType.PAGE_VIEW,
                                            new Condition.ActivityFilter(null, r.url(), null, null, null),
                                            1,
                                            r.withinDays(),
                                            true)));
                        case 2 -> new Condition.ActivityCondition(r.everType(), null, r.atLeast(), null, true);
                        case 3 ->
                            new Condition.All(List.of(
                                    new Condition.ActivityCondition(
                                            ActivityType.FORM_SUBMIT, null, 1, 300 + r.withinDays(), true),
                                    new Condition.FieldCondition(
                                            "employees", FieldType.NUMBER, Operator.GTE, List.of(r.minEmployees()))));
                        default -> new Condition.DaysSinceLastActivity(Operator.GTE, List.of(r.quietDays()));
                    });
        }
        return conditions;
    }

    /** The same rules decided by hand-written code: one {@code if} per rule shape, a loop over the activities. */
    public static boolean[] ifChain(List<Rule> rules, ProspectFacts p, Instant now) {
        boolean[] matched = new boolean[rules.size()];
        List<Activity> activities = p.activities();
        for (int i = 0; i < matched.length; i++) {
            Rule r = rules.get(i);
            if (r.shape() == 0) {
                if (p.score() >= r.minScore()) {
                    Instant after = now.minus(Duration.ofDays(r.withinDays()));
                    int n = 0;
                    for (Activity a : activities) {
                        if (!a.bot()
                                && a.type() == ActivityType.EMAIL_CLICK
                                && a.occurredAt().isAfter(after)) {
                            n++;
                        }
                    }
                    matched[i] = n >= r.atLeast();
                }
            } else if (r.shape() == 1) {
                Object industry = p.fields().get("industry");
                if (industry instanceof String s && !s.isEmpty() && containsIgnoringCase(r.industries(), s)) {
                    Instant after = now.minus(Duration.ofDays(r.withinDays()));
                    for (Activity a : activities) {
                        String url = a.properties().get("url");
                        if (!a.bot()
                                && a.type() == ActivityType.PAGE_VIEW
                                && a.occurredAt().isAfter(after)
                                && url != null
                                && url.toLowerCase(Locale.ROOT).contains(r.url())) {
                            matched[i] = true;
                            break;
                        }
                    }
                }
            } else if (r.shape() == 2) {
                int n = 0;
                for (Activity a : activities) {
                    if (!a.bot() && a.type() == r.everType()) {
                        n++;
                    }
                }
                matched[i] = n >= r.atLeast();
            } else if (r.shape() == 3) {
                if (p.fields().get("employees") instanceof BigDecimal employees
                        && employees.compareTo(r.minEmployees()) >= 0) {
                    Instant after = now.minus(Duration.ofDays(300 + r.withinDays()));
                    for (Activity a : activities) {
                        if (!a.bot()
                                && a.type() == ActivityType.FORM_SUBMIT
                                && a.occurredAt().isAfter(after)) {
                            matched[i] = true;
                            break;
                        }
                    }
                }
            } else {
                matched[i] = p.lastActivityAt() != null
                        && !p.lastActivityAt().isAfter(now.minus(Duration.ofDays(r.quietDays())));
            }
        }
        return matched;
    }

    private static boolean containsIgnoringCase(List<String> values, String value) {
        for (String v : values) {
            if (v.equalsIgnoreCase(value)) {
                return true;
            }
        }
        return false;
    }

    /**
     * One prospect's state after the event: {@code history} activities over the year before {@code now} (W1's type
     * mix: mostly page views, some opens and clicks, a few forms), then the event, an email click on a pricing link.
     */
    public static ProspectFacts prospect(long seed, int history, Instant now) {
        Random random = new Random(seed);
        List<Activity> activities = new ArrayList<>();
        String[] pages = {
            "https://acme.example/pricing",
            "https://acme.example/docs/setup",
            "https://acme.example/blog/x",
            "https://acme.example/",
            "https://acme.example/Compare"
        };
        for (int i = 0; i < history; i++) {
            int roll = random.nextInt(100);
            ActivityType type = roll < 70
                    ? ActivityType.PAGE_VIEW
                    : roll < 85
                            ? ActivityType.EMAIL_OPEN
                            : roll < 93
                                    ? ActivityType.EMAIL_CLICK
                                    : roll < 95
                                            ? ActivityType.FORM_SUBMIT
                                            : roll < 97 ? ActivityType.WEBINAR_ATTENDED : ActivityType.FILE_DOWNLOAD;
            Instant at = now.minus(Duration.ofMinutes(1 + random.nextInt(365 * 24 * 60)));
            Map<String, String> properties = type == ActivityType.PAGE_VIEW || type == ActivityType.EMAIL_CLICK
                    ? Map.of("url", pages[random.nextInt(pages.length)])
                    : Map.of();
            activities.add(new Activity(i + 1, type, null, at, null, properties, false));
        }
        activities.sort(java.util.Comparator.comparing(Activity::occurredAt));
        activities.add(new Activity(
                history + 1,
                ActivityType.EMAIL_CLICK,
                null,
                now,
                null,
                Map.of("url", "https://acme.example/pricing?utm=mail"),
                false));
        Map<String, Object> fields = Map.of(
                "industry",
                random.nextBoolean() ? "Software" : "Finance",
                "employees",
                BigDecimal.valueOf(50 + random.nextInt(2000)),
                "country",
                "JP");
        return new ProspectFacts(
                seed,
                fields,
                random.nextInt(80),
                null,
                LifecycleStage.ENGAGED,
                null,
                Set.of(),
                activities,
                now,
                List.of(),
                Map.of());
    }
}

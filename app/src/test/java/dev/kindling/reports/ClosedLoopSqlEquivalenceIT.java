package dev.kindling.reports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.engine.activity.Activity;
import dev.kindling.engine.closedloop.ClosedLoop;
import dev.kindling.intake.IntakeProgress;
import dev.kindling.scoring.ScoringModels;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * The report counts the cohort's actions in SQL ({@link ActionQuery}); this test keeps the previous path — every
 * activity of the cohort read into the app, each prospect's actions derived by the engine ({@code Action.of}) and
 * analysed from the subjects — and checks that both give the same rows, pooled row and validation, on a randomized
 * cohort (fixed seed) whose URLs need normalising (scheme, host, query, fragment, case, trailing slashes,
 * whitespace, blank), whose downloads, opens and page views reach the frequency bands in some 30-day windows and not
 * in others, and with activities that are ignored (sent emails).
 */
@IntegrationTest
class ClosedLoopSqlEquivalenceIT {

    private static final String[] URLS = {
        "https://site.example/Pricing/?utm=x",
        "http://site.example/pricing",
        "/pricing//",
        "  https://site.example/Blog/Post-1#top  ",
        "https://site.example",
        "site.example/blog/post-1?x=1",
        "https://site.example/DOCS/",
        "?only=query",
        "   ",
        "https://other.example/docs"
    };

    @LocalServerPort
    int port;

    @Autowired
    ClosedLoopReport report;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    JsonMapper json;

    @Autowired
    ScoringModels models;

    @Test
    void theSqlCountsGiveTheSameAnalysisAsDerivingEachProspectsActionsInTheApp() {
        TestApi api = new TestApi(port);
        String tag = UUID.randomUUID().toString().substring(0, 8);
        // a day of December of 2001–2019: ClosedLoopIT uses June to November, the lifecycle datasets January to April
        Instant day = Instant.parse((2001 + ThreadLocalRandom.current().nextInt(19)) + "-12-01T00:00:00Z")
                .plus(ThreadLocalRandom.current().nextInt(28), ChronoUnit.DAYS);
        Random random = new Random(12);
        int n = 60;
        List<String> activities = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Instant captured = day.plus(20L * i, ChronoUnit.MINUTES);
            String email = "eq" + i + "-" + tag + "@closed-loop.example";
            activities.add(
                    activity(tag, i, 0, email, "PAGE_VIEW", captured, "\"url\":\"" + URLS[i % URLS.length] + "\""));
            int count = 2 + random.nextInt(25);
            for (int k = 1; k <= count; k++) {
                // within 20 days mostly (bands reached), sometimes up to 120 days later (windows split)
                Instant at = captured.plus(random.nextInt(random.nextBoolean() ? 20 : 120), ChronoUnit.DAYS)
                        .plusSeconds(random.nextInt(86_400));
                String type;
                String props;
                String extra = "";
                switch (random.nextInt(9)) {
                    case 0, 1 -> {
                        type = "PAGE_VIEW";
                        props = "\"url\":\"" + URLS[random.nextInt(URLS.length)] + "\"";
                    }
                    case 2 -> {
                        type = "FILE_DOWNLOAD";
                        props = "\"assetName\":\"Guide " + random.nextInt(3) + " " + tag + "\"";
                    }
                    case 3 -> {
                        type = "FORM_SUBMIT";
                        props = random.nextInt(4) == 0
                                ? ""
                                : "\"formName\":\"Form " + random.nextInt(4) + " " + tag + "\"";
                    }
                    case 4 -> {
                        type = "EMAIL_OPEN";
                        props = "\"emailId\":\"" + (random.nextInt(2) + 1) + "\"";
                    }
                    case 5 -> {
                        type = "EMAIL_CLICK";
                        props = "\"emailId\":\"1\"";
                    }
                    case 6 -> {
                        type = "TRACKED_LINK_CLICK";
                        props = "\"linkUrl\":\"" + URLS[random.nextInt(URLS.length)] + "\"";
                    }
                    case 7 -> {
                        type = random.nextBoolean() ? "CUSTOM" : "WEBINAR_ATTENDED";
                        props = "";
                        extra = type.equals("CUSTOM")
                                ? ",\"customName\":\"Trial " + random.nextInt(2) + " " + tag + "\""
                                : "";
                    }
                    default -> {
                        type = "EMAIL_SENT";
                        props = "\"emailId\":\"9\"";
                    }
                }
                activities.add(activity(tag, i, k, email, type, at, props)
                        .replace("\"type\"", extra.isEmpty() ? "\"type\"" : extra.substring(1) + ",\"type\""));
            }
        }
        for (int from = 0; from < activities.size(); from += 500) {
            TestApi.Response accepted = api.post(
                    "/api/v1/activities",
                    "{\"activities\":["
                            + String.join(",", activities.subList(from, Math.min(activities.size(), from + 500)))
                            + "]}");
            assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        }
        IntakeProgress.awaitDrained(api);
        for (int i = 0; i < n; i++) {
            TestApi.Response p =
                    api.post("/api/v1/prospects", "{\"email\":\"eq" + i + "-" + tag + "@closed-loop.example\"}");
            assertThat(p.status()).as(p.body()).isIn(200, 201);
            int outcome = random.nextInt(3); // 0 won, 1 lost, 2 no opportunity
            if (outcome < 2) {
                TestApi.Response o = api.post("/api/v1/opportunities", """
                        {"name":"EQ %s %d","amount":1000,"stage":"Discovery",
                         "contactRoles":[{"prospectId":%d,"role":"DECISION_MAKER","primary":true}]}""".formatted(
                                tag, i, p.json().get("id").asLong()));
                assertThat(o.status()).as(o.body()).isEqualTo(201);
                long id = o.json().get("id").asLong();
                TestApi.Response closed = outcome == 0
                        ? api.post("/api/v1/opportunities/" + id + "/won", "")
                        : api.post("/api/v1/opportunities/" + id + "/lost", "{\"reason\":\"COMPETITOR\"}");
                assertThat(closed.status()).as(closed.body()).isEqualTo(200);
            }
        }
        IntakeProgress.awaitDrained(api);

        LocalDate date = LocalDate.ofInstant(day, ZoneOffset.UTC);
        for (int min : new int[] {1, 3, 8}) {
            ClosedLoopQuery q = new ClosedLoopQuery(date, date, min);
            ClosedLoopReport.Report sql = report.run(q);
            ClosedLoop.Result inApp = ClosedLoop.analyse(previousPath(q), min, models.current());

            assertThat(sql.cohort()).isEqualTo(n);
            assertThat(sql.won()).isEqualTo(inApp.won());
            assertThat(sql.actions().stream()
                            .filter(a -> !"POOLED".equals(a.action().get("type")))
                            .map(a -> List.of(
                                    a.action(),
                                    a.prospects(),
                                    a.won(),
                                    a.suggestedPoints(),
                                    a.currentPoints(),
                                    String.valueOf(a.rule())))
                            .toList())
                    .as("minProspects %d", min)
                    .isNotEmpty()
                    .containsExactlyElementsOf(inApp.actions().stream()
                            .map(a -> List.of(
                                    ClosedLoopReport.describe(a.action()),
                                    a.prospects(),
                                    a.won(),
                                    a.suggestedPoints(),
                                    a.currentPoints(),
                                    String.valueOf(a.rule())))
                            .toList());
            ClosedLoop.Pooled pooled = inApp.pooled();
            assertThat(sql.actions().stream()
                            .filter(a -> "POOLED".equals(a.action().get("type")))
                            .map(a -> List.of(a.action().get("actions"), a.prospects(), a.won()))
                            .toList())
                    .isEqualTo(
                            pooled.actions() == 0
                                    ? List.of()
                                    : List.of(List.of(pooled.actions(), pooled.prospects(), pooled.won())));
            assertThat(sql.validation()).as("minProspects %d", min).isEqualTo(inApp.validation());
        }
    }

    /** The previous path: the cohort's activities before each cut read whole, the actions derived in the app. */
    private List<ClosedLoop.Subject> previousPath(ClosedLoopQuery q) {
        Map<String, Object> params = Map.of("start", Timestamp.from(q.start()), "end", Timestamp.from(q.end()));
        Map<Long, List<Activity>> byProspect = new HashMap<>();
        jdbc.sql(ClosedLoopReport.COHORT + """
                        SELECT a.prospect_id, a.id, a.type, a.custom_name, a.occurred_at, a.campaign_id,
                               a.properties::text AS properties
                          FROM cohort c JOIN activity a ON a.prospect_id = c.id
                         WHERE NOT a.bot AND a.processed_at IS NOT NULL AND a.occurred_at < c.cut""").params(params).query(rs -> {
            Activity activity = ClosedLoopReport.activity(rs, "id", json);
            if (activity != null) {
                byProspect
                        .computeIfAbsent(rs.getLong("prospect_id"), k -> new ArrayList<>())
                        .add(activity);
            }
        });
        return jdbc.sql(ClosedLoopReport.COHORT + "SELECT c.id, c.captured_at, c.won, c.cut FROM cohort c")
                .params(params)
                .query((rs, i) -> ClosedLoop.Subject.of(
                        rs.getLong("id"),
                        rs.getTimestamp("captured_at").toInstant(),
                        rs.getBoolean("won"),
                        byProspect.getOrDefault(rs.getLong("id"), List.of()),
                        Map.of(),
                        rs.getTimestamp("cut").toInstant()))
                .list();
    }

    private static String activity(String tag, int i, int k, String email, String type, Instant at, String props) {
        return """
                {"externalId":"eq-%s-%d-%d","email":"%s","type":"%s","occurredAt":"%s","properties":{%s}}""".formatted(tag, i, k, email, type, at, props);
    }
}

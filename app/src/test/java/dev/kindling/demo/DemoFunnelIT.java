package dev.kindling.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kindling.engine.closedloop.Stats;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.PackagedDemo;
import dev.kindling.support.TestApi;
import dev.kindling.support.UiSession;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import tools.jackson.databind.JsonNode;

/**
 * The demo as a new user sees it: the packaged app started with {@code KINDLING_DEMO=true} on a data directory of its
 * own (the run's one demo instance, {@link PackagedDemo}, which {@code DefaultRunIT} also starts and signs in to), the
 * year of history loaded and processed by intake, then the lifecycle report over that year. Transitions are dated
 * when they happened, so the funnel has every stage and velocities in days, not a year of moves all dated today.
 */
// runs beside the shared contexts' classes, one such class at a time (docs/testing.md)
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(IntegrationTest.BESIDE)
class DemoFunnelIT {

    @RegisterExtension
    static PackagedDemo demo = new PackagedDemo();

    static int port;

    static String databaseUrl;

    @BeforeAll
    static void theRunsDemo() {
        port = demo.port();
        databaseUrl = demo.databaseUrl();
    }

    @Test
    void theDemoShowsAYearOfFunnelWithEveryStageAndVelocitiesInDays() throws InterruptedException {
        TestApi api = new TestApi(port);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        String period = "from=" + today.minusYears(1) + "&to=" + today + "&model=stages";
        awaitLoadedAndProcessed(api, period);

        for (String view : new String[] {"flow", "cohort"}) {
            JsonNode total = api.get("/api/v1/reports/lifecycle?" + period + "&view=" + view)
                    .json()
                    .get("total");
            Map<String, Long> steps = new HashMap<>();
            total.get("steps")
                    .forEach(s ->
                            steps.put(s.get("stage").asString(), s.get("count").asLong()));
            assertThat(steps.get("CAPTURED")).as(view).isEqualTo(3_000);
            assertThat(steps.get("ENGAGED")).as(view).isBetween(300L, 2_900L);
            assertThat(steps.get("MQL")).as(view).isPositive().isLessThan(steps.get("ENGAGED"));
            assertThat(steps.get("SQL")).as(view).isPositive().isLessThan(steps.get("ENGAGED"));
            assertThat(total.get("offPath").get("RECYCLED").asLong()).as(view).isPositive();
            assertThat(total.get("offPath").get("DISQUALIFIED").asLong())
                    .as(view + ": ~12 % free mail")
                    .isBetween(150L, 600L);

            Map<String, JsonNode> velocity = new HashMap<>();
            total.get("velocity")
                    .forEach(v -> velocity.put(
                            v.get("from").asString() + ">" + v.get("to").asString(), v));
            for (String pair : new String[] {"CAPTURED>ENGAGED", "ENGAGED>MQL"}) {
                JsonNode v = velocity.get(pair);
                assertThat(v.get("prospects").asLong()).as(view + " " + pair).isPositive();
                assertThat(v.get("medianDays").asDouble())
                        .as(view + " " + pair + ": dated when it happened, not today")
                        .isGreaterThan(1.0)
                        .isLessThan(365.0);
            }
        }
    }

    @Test
    void theDemoQualifiesPeopleInTheMonthsTheirActivityHappenedNotOnlyInTheLastNinetyDays() throws SQLException {
        TestApi api = new TestApi(port);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        awaitLoadedAndProcessed(api, "from=" + today.minusYears(1) + "&to=" + today + "&model=stages");

        // the flow of a period that ended half a year ago: MQLs happened then, not all in the last 90 days
        JsonNode old = api.get("/api/v1/reports/lifecycle?from=" + today.minusYears(1) + "&to=" + today.minusDays(180)
                        + "&model=stages&view=flow")
                .json()
                .get("total");
        Map<String, Long> steps = new HashMap<>();
        old.get("steps")
                .forEach(st ->
                        steps.put(st.get("stage").asString(), st.get("count").asLong()));
        assertThat(steps.get("MQL"))
                .as("MQL transitions more than 180 days ago")
                .isPositive();

        try (Connection connection = DriverManager.getConnection(databaseUrl, "postgres", "postgres");
                Statement statement = connection.createStatement();
                var months = statement.executeQuery("""
                     SELECT count(DISTINCT date_trunc('month', at)),
                            count(*) FILTER (WHERE at < now() - interval '90 days'), count(*)
                       FROM stage_transition WHERE to_stage = 'MQL'""")) {
            months.next();
            assertThat(months.getLong(1)).as("months with MQL transitions").isGreaterThanOrEqualTo(9);
            assertThat(months.getLong(2))
                    .as("MQL transitions older than 90 days, of " + months.getLong(3))
                    .isGreaterThan(months.getLong(3) / 3);
        }
    }

    @Test
    void theDemoGivesTheRepsAQueueAHistoryOfHandoffsAndDealsAndTheWeeklyReviewHasContent() throws SQLException {
        TestApi api = new TestApi(port);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        awaitLoadedAndProcessed(api, "from=" + today.minusYears(1) + "&to=" + today + "&model=stages");
        awaitSalesHistory(api);
        DriverManagerDataSource demoDatabase = new DriverManagerDataSource(databaseUrl, "postgres", "postgres");
        DemoSales demoSales = new DemoSales(
                JdbcClient.create(demoDatabase), new DataSourceTransactionManager(demoDatabase), Clock.systemUTC());
        assertThat(demoSales.write()).as("written once").isNull();

        // Riley, an inside-sales rep of the demo team, has MQLs in the queue
        long riley = 0;
        for (JsonNode user : api.get("/api/v1/users").json()) {
            if (user.get("email").asString().equals("riley@demo.kindling.local")) {
                riley = user.get("id").asLong();
            }
        }
        TestApi rep = api.as(api.post("/api/v1/api-keys", "{\"userId\":" + riley + ",\"name\":\"demo\"}")
                .json()
                .get("key")
                .asString());
        JsonNode queue = rep.get("/api/v1/sales/queue?scope=mine").json().get("items");
        assertThat(queue).isNotEmpty();
        queue.forEach(lead -> assertThat(lead.get("stage").asString()).isIn("MQL", "SAL"));

        try (Connection connection = DriverManager.getConnection(databaseUrl, "postgres", "postgres");
                Statement statement = connection.createStatement();
                var deals = statement.executeQuery("""
                     SELECT count(*) FILTER (WHERE o.status = 'WON'), count(*) FILTER (WHERE o.status = 'LOST'),
                            count(*) FILTER (WHERE o.status = 'OPEN'), count(DISTINCT date_trunc('month', o.created_at)),
                            min(o.amount), count(*) FILTER (WHERE r.prospect_id IS NULL),
                            count(*) FILTER (WHERE o.status = 'WON' AND p.stage <> 'CUSTOMER'),
                            count(*) FILTER (WHERE o.status = 'LOST' AND p.stage <> 'RECYCLED')
                       FROM opportunity o LEFT JOIN opportunity_contact_role r ON r.opportunity_id = o.id AND r.is_primary
                            LEFT JOIN prospect p ON p.id = r.prospect_id""")) {
            deals.next();
            assertThat(deals.getLong(1)).as("won").isPositive();
            assertThat(deals.getLong(2)).as("lost").isPositive();
            assertThat(deals.getLong(4)).as("months with new deals").isGreaterThanOrEqualTo(4);
            assertThat(deals.getBigDecimal(5)).as("amounts").isGreaterThanOrEqualTo(new java.math.BigDecimal("2000"));
            assertThat(deals.getLong(6)).as("deals without a primary contact").isZero();
            assertThat(deals.getLong(7))
                    .as("won deals whose contact is not a customer")
                    .isZero();
            assertThat(deals.getLong(8))
                    .as("lost deals whose contact is not recycled")
                    .isZero();
        }
        try (Connection connection = DriverManager.getConnection(databaseUrl, "postgres", "postgres");
                Statement statement = connection.createStatement();
                var handoffs = statement.executeQuery("""
                     SELECT count(*) FILTER (WHERE outcome = 'CONVERTED' AND sla_state = 'MET'),
                            count(*) FILTER (WHERE outcome = 'CONVERTED' AND sla_state = 'BREACHED'),
                            count(*) FILTER (WHERE outcome = 'CONVERTED' AND attempts <> (SELECT count(*)
                                   FROM sales_attempt a WHERE a.handoff_id = h.id)),
                            count(*) FILTER (WHERE open AND assigned_at > now() - interval '1 day')
                       FROM sales_handoff h""")) {
            handoffs.next();
            assertThat(handoffs.getLong(1)).as("worked in time").isPositive();
            assertThat(handoffs.getLong(2)).as("worked late").isPositive();
            assertThat(handoffs.getLong(3))
                    .as("handoffs whose attempts are not all logged")
                    .isZero();
            assertThat(handoffs.getLong(4)).as("the open queue").isPositive();
        }

        JsonNode year = api.get("/api/v1/reports/weekly?from=" + today.minusDays(364) + "&to=" + today)
                .json();
        assertThat(year.get("byScoreBand").size()).as("win rate by score band").isGreaterThanOrEqualTo(2);
        assertThat(year.get("byGrade").size()).as("win rate by grade").isGreaterThanOrEqualTo(2);
        long closed = 0;
        for (JsonNode band : year.get("byScoreBand")) {
            closed += band.get("closed").asLong();
        }
        assertThat(closed).isPositive();
        assertThat(year.get("pipeline").get("created").asLong()).isPositive();
        assertThat(year.get("conversion").get("won").asLong()).isPositive();
        JsonNode sla = api.get("/api/v1/reports/sla?from=" + today.minusDays(364) + "&to=" + today)
                .json()
                .get("total");
        assertThat(sla.get("met").asLong()).isPositive();
        assertThat(sla.get("breached").asLong()).isPositive();
        assertThat(sla.get("converted").asLong()).isPositive();
    }

    @Test
    void theDemoShowsAConfiguredTeamListsRulesEmailsProgramsFormsLinksAndVisitors() throws SQLException {
        TestApi api = new TestApi(port);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        awaitLoadedAndProcessed(api, "from=" + today.minusYears(1) + "&to=" + today + "&model=stages");
        // the visitors come last in the setup
        await("the demo team set up")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(500))
                .until(() ->
                        row("SELECT count(*) FROM visitor WHERE id LIKE 'demo-visitor-%'", rs -> rs.getLong(1)) == 60);

        JsonNode lists = items(api.get("/api/v1/lists").json());
        assertThat(lists.valueStream()
                        .filter(l -> l.get("kind").asString().equals("DYNAMIC"))
                        .count())
                .isGreaterThanOrEqualTo(3);
        assertThat(lists.valueStream()
                        .filter(l -> l.get("members").asLong() > 0)
                        .count())
                .as("lists with members")
                .isGreaterThanOrEqualTo(4);
        JsonNode rules = items(api.get("/api/v1/automation-rules").json());
        assertThat(rules.valueStream()
                        .filter(r -> !r.get("status").asString().equals("PAUSED"))
                        .count())
                .as("running rules")
                .isGreaterThanOrEqualTo(2);
        assertThat(rules.valueStream()
                        .mapToLong(r -> r.get("prospectsMatched").asLong())
                        .sum())
                .isPositive();
        assertThat(items(api.get("/api/v1/email/templates").json()).size()).isGreaterThanOrEqualTo(4);
        JsonNode sends = items(api.get("/api/v1/email/sends").json());
        assertThat(sends.valueStream().filter(s -> !s.get("abMetric").isNull()).count())
                .as("an A/B test")
                .isOne();
        JsonNode programs = items(api.get("/api/v1/programs").json());
        assertThat(programs.valueStream().map(p -> p.get("template").asString()).toList())
                .containsExactlyInAnyOrder(
                        "WEBINAR_FOLLOW_UP",
                        "DORMANT_REACTIVATION",
                        "LOST_OPPORTUNITY_RE_ENGAGEMENT",
                        "WON_CUSTOMER_ONBOARDING");
        assertThat(programs.valueStream().map(p -> p.get("status").asString())).containsOnly("RUNNING");

        row("""
                     SELECT (SELECT count(DISTINCT program_id) FROM program_enrollment),
                            (SELECT count(*) FROM activity WHERE type = 'FORM_SUBMIT' AND properties->>'formKey' = 'demo-contact'),
                            (SELECT count(*) FROM activity WHERE type = 'TRACKED_LINK_CLICK'),
                            (SELECT count(*) FROM visitor WHERE prospect_id IS NULL AND NOT bot),
                            (SELECT count(*) FROM email_message),
                            (SELECT count(*) FROM api_key WHERE name = 'demo setup' AND revoked_at IS NULL)""", figures -> {
            assertThat(figures.getLong(1)).as("programs with enrollments").isEqualTo(4);
            assertThat(figures.getLong(2)).as("form submissions").isGreaterThanOrEqualTo(10);
            assertThat(figures.getLong(3)).as("tracked-link clicks").isGreaterThanOrEqualTo(20);
            assertThat(figures.getLong(4)).as("anonymous visitors").isGreaterThanOrEqualTo(50);
            assertThat(figures.getLong(5)).as("emails sent").isPositive();
            assertThat(figures.getLong(6)).as("the setup's key is revoked").isZero();
            return null;
        });
    }

    @Test
    void theDemosScoresLieAroundTheMqlThresholdNotFarAboveIt() throws SQLException {
        TestApi api = new TestApi(port);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        awaitLoadedAndProcessed(api, "from=" + today.minusYears(1) + "&to=" + today + "&model=stages");

        row("""
                     SELECT t.mql_score, percentile_cont(0.5) WITHIN GROUP (ORDER BY p.score),
                            percentile_cont(0.99) WITHIN GROUP (ORDER BY p.score),
                            avg((p.score >= t.mql_score)::int), max(p.score), count(*)
                       FROM prospect p CROSS JOIN lifecycle_thresholds t
                      WHERE p.stage NOT IN ('DISQUALIFIED')
                      GROUP BY t.mql_score""", scores -> {
            int threshold = scores.getInt(1);
            String figures =
                    "threshold " + threshold + ", median " + scores.getDouble(2) + ", p99 " + scores.getDouble(3)
                            + ", share at or above " + scores.getDouble(4) + ", max " + scores.getInt(5) + " of "
                            + scores.getLong(6);
            System.out.println("Demo scores: " + figures);
            assertThat(scores.getDouble(2)).as("median, " + figures).isLessThan(threshold);
            assertThat(scores.getDouble(4))
                    .as("share at or above the threshold, " + figures)
                    .isBetween(0.005, 0.35);
            // the generator's few Zipf "whales" (a hundred activities a month, forms and webinars among them) still
            // score several hundred: their interest is real; what must not happen is the many scoring like them
            assertThat(scores.getDouble(3)).as("99th percentile, " + figures).isLessThan(8 * threshold);
            return null;
        });
    }

    /** Reads the first row of a query on the demo's database. */
    private static <T> T row(String sql, Row<T> read) throws SQLException {
        try (Connection connection = DriverManager.getConnection(databaseUrl, "postgres", "postgres");
                Statement statement = connection.createStatement();
                var rows = statement.executeQuery(sql)) {
            rows.next();
            return read.from(rows);
        }
    }

    private interface Row<T> {
        T from(java.sql.ResultSet row) throws SQLException;
    }

    private static JsonNode items(JsonNode answer) {
        return answer.isArray() ? answer : answer.get("items");
    }

    /** The demo loads in the background after start: wait for its prospects, then for intake to drain the queue. */
    @Test
    void theDemoGivesAttributionCampaignsWithCostsTouchesOnMostDealsAndWonAndLostDeals() {
        TestApi api = new TestApi(port);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        String period = "from=" + today.minusYears(1) + "&to=" + today;
        awaitLoadedAndProcessed(api, period + "&model=stages");
        awaitSalesHistory(api);
        for (String basis : new String[] {"pipeline", "won"}) {
            JsonNode report = api.get("/api/v1/reports/attribution?" + period + "&model=w_shaped&basis=" + basis)
                    .json();
            java.math.BigDecimal total = report.get("total").decimalValue();
            java.math.BigDecimal noTouch = java.math.BigDecimal.ZERO;
            int campaigns = 0;
            for (JsonNode row : report.get("rows")) {
                if (row.get("campaignId").isNull()) {
                    noTouch = row.get("credit").decimalValue();
                } else {
                    campaigns++;
                }
            }
            assertThat(total).as(basis).isPositive();
            assertThat(noTouch.multiply(java.math.BigDecimal.valueOf(4)))
                    .as(basis + ": touches on most deals")
                    .isLessThan(total);
            assertThat(campaigns).as(basis).isGreaterThanOrEqualTo(5);
        }
        JsonNode roi =
                api.get("/api/v1/reports/campaigns?" + period + "&model=linear").json();
        long withCostAndWon = 0;
        for (JsonNode row : roi.get("campaigns")) {
            if (!row.get("cost").isNull()
                    && row.get("cost").decimalValue().signum() > 0
                    && row.get("won").decimalValue().signum() > 0
                    && !row.get("roi").isNull()) {
                withCostAndWon++;
            }
        }
        assertThat(withCostAndWon)
                .as("campaigns with a cost, won revenue and an ROI")
                .isGreaterThanOrEqualTo(3);
    }

    /**
     * The demo gives the closed loop won deals and suggestions, and its held-out newest fifth has outcomes too (quick
     * deals of small companies close within days): enough won and not-won prospects for the validation to be trusted,
     * both AUCs computed on them and better than chance, and the page shows them without "too few outcomes".
     */
    @Test
    void theDemoGivesTheClosedLoopWonProspectsSuggestedRulesAndAValidationOnEnoughHeldOutOutcomes() {
        TestApi api = new TestApi(port);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        String period = "from=" + today.minusYears(1) + "&to=" + today;
        awaitLoadedAndProcessed(api, period + "&model=stages");
        awaitSalesHistory(api);
        JsonNode report = api.get("/api/v1/reports/closed-loop?" + period).json();
        assertThat(report.get("won").asLong()).as("won prospects in the cohort").isGreaterThanOrEqualTo(20);
        long suggestions = 0;
        for (JsonNode a : report.get("actions")) {
            if (!a.get("rule").isNull()) {
                suggestions++;
            }
        }
        assertThat(suggestions).as("actions with a suggested rule").isGreaterThanOrEqualTo(3);

        JsonNode v = report.get("validation");
        long held = v.get("holdoutProspects").asLong();
        long heldWon = v.get("holdoutWon").asLong();
        assertThat(held)
                .as(v.toString())
                .isEqualTo(report.get("cohort").asLong()
                        - (long) Math.floor(0.8 * report.get("cohort").asLong()));
        assertThat(heldWon).as("won among the held-out, " + v).isGreaterThanOrEqualTo(Stats.MIN_OUTCOMES);
        assertThat(held - heldWon).as("not won among the held-out, " + v).isGreaterThanOrEqualTo(Stats.MIN_OUTCOMES);
        assertThat(v.get("trustworthy").asBoolean()).as(v.toString()).isTrue();
        assertThat(v.get("note").asString()).as(v.toString()).doesNotContainIgnoringCase("too few");
        for (String auc : new String[] {"currentModelAuc", "suggestedModelAuc"}) {
            assertThat(v.get(auc).isNumber()).as(auc + ", " + v).isTrue();
            assertThat(v.get(auc).asDouble())
                    .as(auc + ", " + v)
                    .isGreaterThan(0.5)
                    .isLessThanOrEqualTo(1.0);
        }

        String page = UiSession.signedIn(port, "admin@kindling.local", demo.password())
                .open("/reports/closed-loop?" + period)
                .body();
        assertThat(page).contains("id=\"holdout\">" + held + "<").doesNotContainIgnoringCase("too few outcomes");
        assertThat(page)
                .as("both AUCs shown")
                .doesNotContain("id=\"current-auc\">n/a")
                .doesNotContain("id=\"suggested-auc\">n/a");
    }

    /**
     * The demo gives every KPI of the dashboard a figure over its last quarter, beside the previous quarter's, and a
     * trend of MQLs over the last 12 months. The email rates come from the demo's year of newsletters and
     * visitor → prospect from its year of visitors (some identified at their capture): both have a figure in each of
     * the 12 months, and the open rate is a plausible one; MQL → SAL from the quick deals' MQLs, accepted first. The
     * lead active rate counts scoring activities by when they occurred, so the year of history processed at the load
     * gives it a figure in every whole month, and neither the load's month nor the last quarter has everyone active.
     */
    @Test
    void theDemoGivesTheKpiDashboardAFigureForEveryKpiAndAYearOfTrend() throws SQLException {
        TestApi api = new TestApi(port);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        awaitLoadedAndProcessed(api, "from=" + today.minusYears(1) + "&to=" + today + "&model=stages");
        awaitSalesHistory(api);
        // the emails and visitors come last in the setup
        await("the demo team set up")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(500))
                .until(() ->
                        row("SELECT count(*) FROM visitor WHERE id LIKE 'demo-visitor-%'", rs -> rs.getLong(1)) == 60);
        JsonNode dashboard = api.get(
                        "/api/v1/reports/kpis?from=" + today.minusDays(89) + "&to=" + today + "&period=month")
                .json();
        List<String> missing = new java.util.ArrayList<>();
        Map<String, JsonNode> byKey = new HashMap<>();
        long mqlMonths = 0;
        for (JsonNode kpi : dashboard.get("kpis")) {
            String key = kpi.get("key").asString();
            byKey.put(key, kpi);
            for (String span : new String[] {"current", "previous"}) {
                if (kpi.get(span).get("value").isNull()) {
                    missing.add(key + " " + span);
                }
            }
            if (key.equals("mqls")) {
                assertThat(kpi.get("trend")).hasSize(12);
                for (JsonNode month : kpi.get("trend")) {
                    mqlMonths +=
                            month.get("value").isNull() || month.get("value").asDouble() == 0 ? 0 : 1;
                }
            }
        }
        StringBuilder figures = new StringBuilder("Demo KPIs, last 90 days (previous; monthly trend):");
        byKey.forEach((key, kpi) -> {
            figures.append("\n  ")
                    .append(key)
                    .append(' ')
                    .append(kpi.get("current").get("value"))
                    .append(" (")
                    .append(kpi.get("previous").get("value"))
                    .append("; ");
            kpi.get("trend").forEach(m -> figures.append(m.get("value")).append(' '));
            figures.append(')');
        });
        System.out.println(figures);
        assertThat(dashboard.get("kpis")).hasSize(13);
        assertThat(missing).as("KPIs without a figure").isEmpty();
        assertThat(mqlMonths).as("months of the trend with MQLs").isGreaterThanOrEqualTo(10);
        assertThat(dashboard.get("assets")).as("assets with MQLs").isNotEmpty();

        // the eleven whole months of the trend (the current one may have begun an hour ago)
        for (String key : new String[] {"emailOpenRate", "emailClickRate", "visitorToProspect"}) {
            JsonNode trend = byKey.get(key).get("trend");
            assertThat(trend).hasSize(12);
            for (JsonNode month : trend.valueStream().limit(11).toList()) {
                assertThat(month.get("value").isNull())
                        .as(key + " in every month of the trend: " + trend)
                        .isFalse();
                assertThat(month.get("value").asDouble())
                        .as(key + " " + month)
                        .isGreaterThan(0.0)
                        .isLessThan(100.0);
            }
        }
        JsonNode opens = byKey.get("emailOpenRate").get("current");
        assertThat(opens.get("value").asDouble()).as("open rate " + opens).isBetween(20.0, 40.0);
        assertThat(byKey.get("emailClickRate").get("current").get("value").asDouble())
                .as("click rate")
                .isLessThan(opens.get("value").asDouble());
        assertThat(byKey.get("visitorToProspect").get("current").get("value").asDouble())
                .as("visitor → prospect")
                .isBetween(2.0, 30.0);
        assertThat(byKey.get("mqlToSal").get("current").get("value").asDouble())
                .as("MQL → SAL: the quick deals' MQLs were accepted first")
                .isGreaterThan(0.0);

        // the lead active rate counts scoring activities when they occurred, not when the load processed them all
        JsonNode active = byKey.get("leadActiveRate").get("trend");
        long activeMonths = active.valueStream()
                .limit(11)
                .filter(m -> !m.get("value").isNull() && m.get("value").asDouble() > 0.0)
                .count();
        assertThat(activeMonths)
                .as("whole months of the trend with active leads: " + active)
                .isEqualTo(11);
        for (JsonNode month :
                new JsonNode[] {active.get(11), byKey.get("leadActiveRate").get("current")}) {
            assertThat(month.get("value").asDouble())
                    .as("lead active rate of the load's month and of the last 90 days, not everyone: " + month)
                    .isGreaterThan(0.0)
                    .isLessThan(100.0);
        }

        // the page shows each tile's figure, none "—"
        String page = UiSession.signedIn(port, "admin@kindling.local", demo.password())
                .open("/reports/kpis?from=" + today.minusDays(89) + "&to=" + today + "&period=month")
                .body();
        for (String key : byKey.keySet()) {
            java.util.regex.Matcher tile = java.util.regex.Pattern.compile(
                            "id=\"kpi-" + key + "\"[^>]*>.*?class=\"kpi-current\">([^<]*)<",
                            java.util.regex.Pattern.DOTALL)
                    .matcher(page);
            assertThat(tile.find()).as("the tile of " + key).isTrue();
            assertThat(tile.group(1)).as(key + " on the page").isNotBlank().isNotEqualTo("—");
        }
    }

    /**
     * The demo's newsletters are consistent with its email activities: every open and click names an issue (its
     * template and send) that went to the prospect before it, and every open or click marked on an issue's message
     * is such an activity; the identified visitors browsed before their prospect's capture.
     */
    @Test
    void theDemosNewslettersAndVisitorsAgreeWithItsActivities() throws SQLException {
        TestApi api = new TestApi(port);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        awaitLoadedAndProcessed(api, "from=" + today.minusYears(1) + "&to=" + today + "&model=stages");
        row(
                """
                     SELECT (SELECT count(*) FROM email_send WHERE list_id IS NULL AND status = 'SENT'),
                            (SELECT count(*) FROM activity a
                              WHERE a.external_id LIKE 'demo-g%' AND a.type IN ('EMAIL_OPEN', 'EMAIL_CLICK')),
                            (SELECT count(*) FROM activity a
                              WHERE a.external_id LIKE 'demo-g%' AND a.type IN ('EMAIL_OPEN', 'EMAIL_CLICK')
                                AND NOT EXISTS (
                                    SELECT 1 FROM email_message m
                                     WHERE m.send_id = CAST(a.properties ->> 'sendId' AS bigint)
                                       AND m.template_id = CAST(a.properties ->> 'emailId' AS bigint)
                                       AND m.prospect_id = a.prospect_id AND m.status = 'SENT'
                                       AND m.created_at <= a.occurred_at AND m.opened_at <= a.occurred_at
                                       AND (a.type = 'EMAIL_OPEN' OR m.clicked_at <= a.occurred_at))),
                            (SELECT count(*) FROM email_message m JOIN email_send s ON s.id = m.send_id
                              WHERE s.list_id IS NULL AND m.opened_at IS NOT NULL AND NOT EXISTS (
                                    SELECT 1 FROM activity a
                                     WHERE a.prospect_id = m.prospect_id AND a.occurred_at = m.opened_at
                                       AND a.type IN ('EMAIL_OPEN', 'EMAIL_CLICK')
                                       AND a.properties ->> 'sendId' = CAST(m.send_id AS text))),
                            (SELECT count(*) FROM visitor v JOIN prospect p ON p.id = v.prospect_id
                              WHERE v.id LIKE 'demo-browser-%'),
                            (SELECT count(*) FROM visitor v JOIN prospect p ON p.id = v.prospect_id
                              WHERE v.id LIKE 'demo-browser-%' AND v.first_seen_at >= p.captured_at),
                            (SELECT count(*) FROM visitor WHERE id LIKE 'demo-browser-%' AND prospect_id IS NULL
                                AND first_seen_at < now() - interval '90 days')""",
                figures -> {
                    assertThat(figures.getLong(1))
                            .as("newsletter issues, about one a week")
                            .isBetween(45L, 60L);
                    assertThat(figures.getLong(2))
                            .as("opens and clicks of the generator")
                            .isPositive();
                    assertThat(figures.getLong(3))
                            .as("opens and clicks without the issue's message before them")
                            .isZero();
                    assertThat(figures.getLong(4))
                            .as("messages marked opened without an open or click then")
                            .isZero();
                    assertThat(figures.getLong(5)).as("identified visitors").isBetween(500L, 1_000L);
                    assertThat(figures.getLong(6))
                            .as("identified visitors first seen after the capture")
                            .isZero();
                    assertThat(figures.getLong(7))
                            .as("anonymous visitors older than 90 days")
                            .isGreaterThan(1_000L);
                    return null;
                });
    }

    private static void awaitSalesHistory(TestApi api) {
        await("the demo's sales history")
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> api.get("/api/v1/opportunities?status=WON&limit=1")
                                .json()
                                .get("items")
                                .size()
                        == 1);
    }

    private static void awaitLoadedAndProcessed(TestApi api, String period) {
        // the log's line first: polling the API meanwhile (several tests at once) took CPU from the load
        demo.awaitFinishedLoading();
        await("the demo loaded and processed")
                .atMost(Duration.ofMinutes(4))
                .pollInterval(Duration.ofMillis(500))
                .until(() ->
                        api.get("/api/v1/system/intake").json().get("pending").asLong() == 0
                                && api.get("/api/v1/reports/lifecycle?" + period)
                                                .json()
                                                .get("total")
                                                .get("steps")
                                                .get(1)
                                                .get("count")
                                                .asLong()
                                        > 0);
    }
}

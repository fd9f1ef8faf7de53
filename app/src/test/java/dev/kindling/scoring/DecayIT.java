package dev.kindling.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.intake.IntakeProgress;
import dev.kindling.support.Browser;
import dev.kindling.support.MovingClockTest;
import dev.kindling.support.MutableClock;
import dev.kindling.support.ScoringModel;
import dev.kindling.support.TestApi;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Decay through the running app, with a clock the test moves, in a context and on a database of its own
 * ({@link MovingClockTest}): no other context's intake or decay job (real clock) touches these prospects.
 */
@MovingClockTest(start = "2031-01-01T12:00:00Z")
class DecayIT {

    static final Instant START = Instant.parse("2031-01-01T12:00:00Z");

    @LocalServerPort
    int port;

    @org.junit.jupiter.api.BeforeEach
    void inactivityResetOnly() {
        ScoringModel.inactivityResetOnly(new TestApi(port));
    }

    @Autowired
    Clock clock;

    @Autowired
    DecayJob decay;

    @Autowired
    JdbcClient jdbc;

    @Test
    void backDatedActivitiesDecayToZeroNinetyDaysAfterTheLastOne() {
        TestApi api = new TestApi(port);
        String run = UUID.randomUUID().toString().substring(0, 8);
        String email = "decay-" + run + "@scoring.example";
        IntakeProgress.ingest(api, """
                {"activities":[
                 {"externalId":"%s-1","email":"%s","type":"FORM_SUBMIT","occurredAt":"2030-11-01T09:00:00Z"},
                 {"externalId":"%s-2","email":"%s","type":"PAGE_VIEW","occurredAt":"2030-11-05T09:00:00Z"}]}""".formatted(run, email, run, email));
        long id = api.prospectId(email);

        JsonNode before = api.get("/api/v1/prospects/" + id + "/score").json();
        assertThat(before.get("score").asInt()).isEqualTo(51);
        Instant due = Instant.parse("2031-02-03T09:00:00Z");
        assertThat(Instant.parse(before.get("nextDecayAt").asString())).isEqualTo(due);

        ((MutableClock) clock).set(due.minusSeconds(1));
        decay.runDue();
        assertThat(api.get("/api/v1/prospects/" + id + "/score")
                        .json()
                        .get("score")
                        .asInt())
                .isEqualTo(51);

        ((MutableClock) clock).set(due.plusSeconds(3600));
        decay.runDue();
        JsonNode after = api.get("/api/v1/prospects/" + id + "/score").json();
        assertThat(after.get("score").asInt()).isZero();
        JsonNode entry = after.get("ledger").get(0);
        assertThat(entry.get("kind").asString()).isEqualTo("DECAY");
        assertThat(entry.get("setTo").asInt()).isZero();
        assertThat(entry.get("delta").asInt()).isEqualTo(-51);
        assertThat(Instant.parse(entry.get("at").asString())).isEqualTo(due);
        assertThat(after.get("nextDecayAt").isNull()).isTrue();
        assertThat(jdbc.sql(
                                "SELECT d.next_decay_at FROM prospect p LEFT JOIN prospect_due d ON d.prospect_id = p.id WHERE p.id = :id")
                        .param("id", id)
                        .query(java.sql.Timestamp.class)
                        .optional())
                .isEmpty();

        // reset and undo after decay: the undo gives back exactly what the reset took
        api.post("/api/v1/prospects/" + id + "/score/adjust", "{\"delta\":12,\"reason\":\"call\"}");
        api.post("/api/v1/prospects/" + id + "/score/reset", "");
        var undone = api.post("/api/v1/prospects/" + id + "/score/undo-reset", "");
        assertThat(undone.json().get("score").asInt()).isEqualTo(12);
    }

    @Test
    void aNewActivityRearmsDecayAndTheJobOnlyTakesDueProspects() {
        TestApi api = new TestApi(port);
        String run = UUID.randomUUID().toString().substring(0, 8);
        String email = "rearm-" + run + "@scoring.example";
        Instant now = clock.instant();
        api.post("/api/v1/activities", """
                {"activities":[{"externalId":"%s-1","email":"%s","type":"CHAT","occurredAt":"%s"}]}""".formatted(run, email, now.minusSeconds(60)));
        IntakeProgress.awaitDrained(api);
        long id = api.prospectId(email);
        JsonNode score = api.get("/api/v1/prospects/" + id + "/score").json();
        assertThat(score.get("score").asInt()).isEqualTo(10);
        assertThat(Instant.parse(score.get("nextDecayAt").asString()))
                .isEqualTo(now.minusSeconds(60).plusSeconds(90L * 86_400));

        decay.runDue();
        assertThat(api.get("/api/v1/prospects/" + id + "/score").json().get("ledger"))
                .hasSize(1);
    }

    @RegisterExtension
    static Browser browser = new Browser();

    @Test
    void theProspectPageChartsTheDecayWhenTimeMovesOn() {
        MutableClock moving = (MutableClock) clock;
        Instant start = Instant.parse("2033-01-01T12:00:00Z");
        try {
            moving.set(start);
            TestApi api = new TestApi(port);
            String run = UUID.randomUUID().toString().substring(0, 8);
            String email = "decay-chart-" + run + "@scoring.example";
            api.post("/api/v1/activities", """
                    {"activities":[
                     {"externalId":"%s-1","email":"%s","type":"DEMO_REQUEST","occurredAt":"2033-01-01T11:00:00Z"},
                     {"externalId":"%s-2","email":"%s","type":"CHAT","occurredAt":"2033-01-01T11:30:00Z"}]}""".formatted(run, email, run, email));
            IntakeProgress.awaitDrained(api);
            long id = api.prospectId(email);
            assertThat(api.get("/api/v1/prospects/" + id + "/score")
                            .json()
                            .get("score")
                            .asInt())
                    .isEqualTo(60);

            moving.set(start.plus(java.time.Duration.ofDays(100)));
            decay.runDue();

            browser.at(port).signedIn("admin@kindling.local", TestApi.ADMIN_PASSWORD);
            browser.open("/prospects/" + id);
            assertThat(browser.text("#score-value")).isEqualTo("0");
            assertThat(browser.driver().findElements(By.cssSelector("#score-chart circle.chart-marker")))
                    .extracting(m -> m.getAttribute("data-kind"))
                    .containsExactly("ACTIVITY", "ACTIVITY", "DECAY");
            WebElement decayed = browser.find("#score-chart circle.marker-decay");
            assertThat(decayed.findElement(By.tagName("title")).getAttribute("textContent"))
                    .startsWith("2033-04-01 11:30 UTC · DECAY set to 0 (-60) → 0");
            // the decay is drawn when it fell due, 90 days after the last activity: its place on the time axis, which
            // runs from the activities' processing (start) to the page's now (100 days on), is exactly that fraction
            // (up to the SVG's rounding of coordinates)
            double left = Double.parseDouble(
                    browser.find("#score-chart circle.marker-points").getAttribute("cx"));
            double right = ScoreChart.RIGHT;
            double x = Double.parseDouble(decayed.getAttribute("cx"));
            double expected = (double) java.time.Duration.between(start, Instant.parse("2033-04-01T11:30:00Z"))
                            .toSeconds()
                    / java.time.Duration.ofDays(100).toSeconds();
            assertThat(expected).isCloseTo(0.9, org.assertj.core.data.Offset.offset(0.001));
            assertThat((x - left) / (right - left)).isCloseTo(expected, org.assertj.core.data.Offset.offset(0.001));
            assertThat(browser.text("#chart-start")).isEqualTo("2033-01-01");
            assertThat(browser.text("#chart-end")).isEqualTo("2033-04-11");
            ((JavascriptExecutor) browser.driver())
                    .executeScript("arguments[0].scrollIntoView(true)", browser.find(".score-chart"));
            browser.screenshot("decay-chart-page");
        } finally {
            moving.set(START);
        }
    }
}

package dev.kindling.intake;

import static dev.kindling.intake.ActivityIngestIT.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

@IntegrationTest
class VisitorLinkIT {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Visitors visitors;

    @Autowired
    Clock clock;

    TestApi api;
    String run;
    String visitor;

    @BeforeEach
    void setUp() {
        api = new TestApi(port);
        run = UUID.randomUUID().toString().substring(0, 8);
        visitor = "visitor-" + run;
    }

    @Test
    void anAnonymousVisitorIsRecordedWithoutAProspect() {
        post(
                pageView("-1", "2025-09-01T10:00:00Z", "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"),
                pageView("-2", "2025-09-03T10:00:00Z", "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"));
        IntakeProgress.awaitDrained(api);

        Map<String, Object> row = jdbc.sql(
                        "SELECT stage, prospect_id, first_seen_at, last_seen_at FROM visitor WHERE id = :v")
                .param("v", visitor)
                .query()
                .singleRow();
        assertThat(row.get("stage")).isEqualTo("ANONYMOUS");
        assertThat(row.get("prospect_id")).isNull();
        assertThat(((java.sql.Timestamp) row.get("first_seen_at")).toInstant()).isEqualTo("2025-09-01T10:00:00Z");
        assertThat(((java.sql.Timestamp) row.get("last_seen_at")).toInstant()).isEqualTo("2025-09-03T10:00:00Z");
        assertThat(jdbc.sql(
                                "SELECT count(*) FROM activity WHERE visitor_id = :v AND prospect_id IS NULL AND processed_at IS NOT NULL")
                        .param("v", visitor)
                        .query(Long.class)
                        .single())
                .isEqualTo(2);
    }

    @Test
    void linkingAttachesTheVisitorsEarlierActivitiesTheirLastActivityAndTheirActions() {
        post(
                pageView("-1", "2025-09-01T10:00:00Z", "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"),
                pageView("-2", "2025-09-02T10:00:00Z", "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"),
                pageView("-bot", "2025-09-03T10:00:00Z", "Googlebot/2.1 (+http://www.google.com/bot.html)"));
        IntakeProgress.awaitDrained(api);
        long prospect = api.post("/api/v1/prospects", "{\"email\":\"linked-" + run + "@acme-visitors.example\"}")
                .json()
                .get("id")
                .asLong();

        int attached = visitors.link(visitor, prospect, clock.instant());

        assertThat(attached).isEqualTo(3);
        JsonNode timeline =
                api.get("/api/v1/prospects/" + prospect + "/activities").json().get("items");
        assertThat(timeline.findValuesAsString("externalId")).containsExactly(run + "-bot", run + "-2", run + "-1");
        assertThat(lastActivityAt(prospect)).isEqualTo("2025-09-02T10:00:00Z");
        // the closed loop's action summary: the page's path, first viewed by a person (the bot's view does not count)
        assertThat(jdbc.sql(
                                "SELECT type || ' ' || value || ' ' || first_at FROM prospect_action WHERE prospect_id = :p")
                        .param("p", prospect)
                        .query(String.class)
                        .list())
                .containsExactly("PAGE_VIEW /pricing 2025-09-01 10:00:00+00");
        assertThat(jdbc.sql("SELECT prospect_id FROM visitor WHERE id = :v")
                        .param("v", visitor)
                        .query(Long.class)
                        .single())
                .isEqualTo(prospect);
    }

    @Test
    void activitiesOfALinkedVisitorGoToItsProspect() {
        long prospect = api.post("/api/v1/prospects", "{\"email\":\"later-" + run + "@acme-visitors.example\"}")
                .json()
                .get("id")
                .asLong();
        visitors.link(visitor, prospect, clock.instant());

        post(pageView("-after", "2025-10-01T10:00:00Z", "Mozilla/5.0 (Macintosh) Safari/605.1.15"));
        IntakeProgress.awaitDrained(api);

        assertThat(api.get("/api/v1/prospects/" + prospect + "/activities")
                        .json()
                        .get("items")
                        .findValuesAsString("externalId"))
                .containsExactly(run + "-after");
        assertThat(lastActivityAt(prospect)).isEqualTo("2025-10-01T10:00:00Z");
    }

    @Test
    void linkingAgainAttachesNothingTwice() {
        post(pageView("-1", "2025-09-05T10:00:00Z", "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"));
        IntakeProgress.awaitDrained(api);
        long prospect = api.post("/api/v1/prospects", "{\"email\":\"twice-" + run + "@acme-visitors.example\"}")
                .json()
                .get("id")
                .asLong();

        assertThat(visitors.link(visitor, prospect, clock.instant())).isEqualTo(1);
        assertThat(visitors.link(visitor, prospect, clock.instant())).isZero();
        assertThat(lastActivityAt(prospect)).isEqualTo("2025-09-05T10:00:00Z");
    }

    private Instant lastActivityAt(long prospect) {
        return Instant.parse(api.get("/api/v1/prospects/" + prospect)
                .json()
                .get("lastActivityAt")
                .asString());
    }

    @Test
    void linkingToAProspectThatIsGoneFailsAndLinksNothing() {
        post(pageView("-1", "2025-09-01T10:00:00Z", "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"));
        IntakeProgress.awaitDrained(api);
        long gone = jdbc.sql("SELECT coalesce(max(id), 0) + 1000000 FROM prospect")
                .query(Long.class)
                .single();

        assertThatThrownBy(() -> visitors.link(visitor, gone, clock.instant()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(Long.toString(gone));
        assertThat(jdbc.sql("SELECT count(*) FROM visitor WHERE id = :v AND prospect_id IS NOT NULL")
                        .param("v", visitor)
                        .query(Long.class)
                        .single())
                .isZero();
        assertThat(jdbc.sql("SELECT count(*) FROM activity WHERE visitor_id = :v AND prospect_id IS NOT NULL")
                        .param("v", visitor)
                        .query(Long.class)
                        .single())
                .isZero();
    }

    private void post(String... items) {
        assertThat(api.post("/api/v1/activities", batch(items)).status()).isEqualTo(202);
    }

    private String pageView(String suffix, String occurredAt, String userAgent) {
        return """
                {"externalId":"%s%s","visitorId":"%s","type":"PAGE_VIEW","occurredAt":"%s",
                 "properties":{"url":"https://acme.example/pricing","userAgent":"%s"}}""".formatted(run, suffix, visitor, occurredAt, userAgent);
    }
}

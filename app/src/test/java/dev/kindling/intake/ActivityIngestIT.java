package dev.kindling.intake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.engine.activity.ActivityType;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@IntegrationTest
class ActivityIngestIT {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ActivityIntake intake;

    TestApi api;
    String run;

    @BeforeEach
    void setUp() {
        api = new TestApi(port);
        run = UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void activitiesByEmailCreateTheProspectCapturedWithTheLatestActivity() {
        String email = "ingest-" + run + "@acme-ingest.example";
        var response = api.post(
                "/api/v1/activities",
                batch(
                        byEmail(run + "-1", email, "PAGE_VIEW", "2025-03-01T10:00:00Z"),
                        byEmail(run + "-2", email, "FORM_SUBMIT", "2025-03-02T11:30:00Z"),
                        byEmail(run + "-3", email, "EMAIL_OPEN", "2025-02-27T08:00:00Z")));

        assertThat(response.status()).isEqualTo(202);
        assertThat(response.json().get("accepted").asInt()).isEqualTo(3);
        assertThat(response.json().get("duplicates").asInt()).isZero();
        IntakeProgress.awaitDrained(api);

        JsonNode prospect = api.prospectByEmail(email);
        // the form submit engages the new prospect; its activities are older than the inactivity period, so the
        // inactivity job may already have recycled it
        assertThat(prospect.get("stage").asString()).isIn("ENGAGED", "RECYCLED");
        assertThat(Instant.parse(prospect.get("lastActivityAt").asString()))
                .isEqualTo(Instant.parse("2025-03-02T11:30:00Z"));
        assertThat(jdbc.sql("SELECT count(*) FROM activity WHERE external_id LIKE :p AND processed_at IS NOT NULL"
                                + " AND prospect_id = :id")
                        .param("p", run + "-%")
                        .param("id", prospect.get("id").asLong())
                        .query(Long.class)
                        .single())
                .isEqualTo(3);
        // captured by the activity, then engaged by the form submit
        assertThat(jdbc.sql("SELECT cause FROM stage_transition WHERE prospect_id = :id ORDER BY id")
                        .param("id", prospect.get("id").asLong())
                        .query(String.class)
                        .list())
                .first()
                .isEqualTo("activity");
    }

    @Test
    void aResentBatchIsCountedAsDuplicatesAndChangesNothing() {
        String email = "resend-" + run + "@acme-ingest.example";
        String body = batch(
                byEmail(run + "-a", email, "PAGE_VIEW", "2025-04-01T10:00:00Z"),
                byEmail(run + "-b", email, "PAGE_VIEW", "2025-04-01T10:05:00Z"));
        assertThat(api.post("/api/v1/activities", body).status()).isEqualTo(202);
        IntakeProgress.awaitDrained(api);

        var again = api.post("/api/v1/activities", body);

        assertThat(again.status()).isEqualTo(202);
        assertThat(again.json().get("accepted").asInt()).isZero();
        assertThat(again.json().get("duplicates").asInt()).isEqualTo(2);
        IntakeProgress.awaitDrained(api);
        long prospectId = api.prospectId(email);
        assertThat(jdbc.sql("SELECT count(*) FROM activity WHERE prospect_id = :id")
                        .param("id", prospectId)
                        .query(Long.class)
                        .single())
                .isEqualTo(2);
        assertThat(jdbc.sql("SELECT count(*) FROM prospect WHERE email = :e")
                        .param("e", email)
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
    }

    @Test
    void anExternalIdSentAgainWithAnotherTimeIsADuplicateThoughItsMonthIsAnotherPartition() {
        String email = "months-" + run + "@acme-ingest.example";
        var first = api.post(
                "/api/v1/activities",
                batch(
                        byEmail(run + "-m1", email, "PAGE_VIEW", "2025-04-01T10:00:00Z"),
                        // a month no partition was made for: the default partition takes it
                        byEmail(run + "-m2", email, "PAGE_VIEW", "2004-02-29T10:00:00Z")));
        assertThat(first.json().get("accepted").asInt()).isEqualTo(2);
        IntakeProgress.awaitDrained(api);

        var again = api.post(
                "/api/v1/activities",
                batch(
                        byEmail(run + "-m1", email, "PAGE_VIEW", "2003-07-01T10:00:00Z"),
                        byEmail(run + "-m2", email, "PAGE_VIEW", "2025-04-02T10:00:00Z"),
                        byEmail(run + "-m3", email, "PAGE_VIEW", "2002-04-03T10:00:00Z")));

        assertThat(again.json().get("accepted").asInt()).isEqualTo(1);
        assertThat(again.json().get("duplicates").asInt()).isEqualTo(2);
        IntakeProgress.awaitDrained(api);
        assertThat(jdbc.sql("""
                        SELECT external_id || ' ' || to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')
                               || ' ' || (processed_at IS NOT NULL) FROM activity
                         WHERE external_id LIKE :p ORDER BY external_id""").param("p", run + "-m%").query(String.class).list())
                .hasSize(3)
                .startsWith(run + "-m1 2025-04-01 true", run + "-m2 2004-02-29 true");
        assertThat(jdbc.sql("SELECT count(*) FROM activity_key WHERE external_id LIKE :p")
                        .param("p", run + "-m%")
                        .query(Long.class)
                        .single())
                .isEqualTo(3);
    }

    /** An activity naming its prospect by email alone, with a URL, not a bot. */
    static NewActivity byEmail(String externalId, String email, ActivityType type, String occurredAt, String url) {
        return new NewActivity(
                externalId, null, email, null, type, null, Instant.parse(occurredAt), null, Map.of("url", url), false);
    }

    @Test
    void aBatchNamingAnExternalIdTwiceStoresItOnce() {
        // the API refuses such a batch (400); the insert is also reached by ways in that do not validate one
        String email = "twice-" + run + "@acme-ingest.example";
        NewActivity first = byEmail(run + "-t1", email, ActivityType.PAGE_VIEW, "2025-04-01T10:00:00Z", "first");
        NewActivity other = byEmail(run + "-t2", email, ActivityType.PAGE_VIEW, "2025-03-01T10:00:00Z", "other");
        NewActivity again = byEmail(run + "-t1", email, ActivityType.EMAIL_OPEN, "2004-02-29T10:00:00Z", "again");

        ActivityIntake.Accepted accepted = intake.accept(List.of(first, other, again));

        assertThat(accepted.accepted()).isEqualTo(2);
        assertThat(accepted.duplicates()).isEqualTo(1);
        IntakeProgress.awaitDrained(api);
        List<String> stored =
                jdbc.sql("""
                        SELECT a.external_id || ' ' || a.type || ' ' || (a.properties ->> 'url') || ' '
                               || to_char(a.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') || ' '
                               || (a.processed_at IS NOT NULL)
                          FROM activity a
                         WHERE a.external_id LIKE :p
                         ORDER BY a.external_id""").param("p", run + "-t%").query(String.class).list();
        // one of the two rows of t1, whole (which one is not specified)
        assertThat(stored).hasSize(2).endsWith(run + "-t2 PAGE_VIEW other 2025-03-01 true");
        assertThat(stored.getFirst())
                .isIn(run + "-t1 PAGE_VIEW first 2025-04-01 true", run + "-t1 EMAIL_OPEN again 2004-02-29 true");
        assertThat(jdbc.sql("SELECT count(*) FROM activity_key WHERE external_id LIKE :p")
                        .param("p", run + "-t%")
                        .query(Long.class)
                        .single())
                .isEqualTo(2);
    }

    @Test
    void aBackDatedActivityNeverMovesLastActivityBackwards() {
        String email = "backdated-" + run + "@acme-ingest.example";
        api.post("/api/v1/activities", batch(byEmail(run + "-new", email, "PAGE_VIEW", "2025-05-10T10:00:00Z")));
        IntakeProgress.awaitDrained(api);

        api.post("/api/v1/activities", batch(byEmail(run + "-old", email, "WEBINAR_ATTENDED", "2021-01-01T00:00:00Z")));
        IntakeProgress.awaitDrained(api);

        JsonNode prospect = api.prospectByEmail(email);
        assertThat(Instant.parse(prospect.get("lastActivityAt").asString()))
                .isEqualTo(Instant.parse("2025-05-10T10:00:00Z"));
        assertThat(api.get("/api/v1/prospects/" + prospect.get("id").asLong() + "/activities")
                        .json()
                        .get("items")
                        .size())
                .isEqualTo(2);
    }

    @Test
    void anActivityFromABotIsStoredFlaggedAndDoesNotMoveLastActivity() {
        String email = "bot-" + run + "@acme-ingest.example";
        api.post("/api/v1/activities", batch(byEmail(run + "-human", email, "EMAIL_OPEN", "2025-06-01T09:00:00Z")));
        IntakeProgress.awaitDrained(api);

        IntakeProgress.ingest(api, batch("""
                {"externalId":"%s-scanner","email":"%s","type":"EMAIL_CLICK","occurredAt":"2025-06-01T09:00:05Z",
                 "properties":{"userAgent":"Mozilla/5.0 (compatible; Proofpoint URL Defense)"}}""".formatted(run, email)));

        JsonNode prospect = api.prospectByEmail(email);
        assertThat(Instant.parse(prospect.get("lastActivityAt").asString()))
                .isEqualTo(Instant.parse("2025-06-01T09:00:00Z"));
        JsonNode newest = api.get("/api/v1/prospects/" + prospect.get("id").asLong() + "/activities")
                .json()
                .get("items")
                .get(0);
        assertThat(newest.get("externalId").asString()).isEqualTo(run + "-scanner");
        assertThat(newest.get("bot").asBoolean()).isTrue();
        assertThat(newest.get("processedAt").isNull()).isFalse();
    }

    @Test
    void propertiesAreStoredAndReadBackAsSent() {
        // PropertiesJson writes the accept's JSON text and reads the intake's (jsonb::text) by hand: escapes, control
        // characters, non-ASCII and a surrogate pair arrive in the jsonb and back as they were sent
        Map<String, String> sent = new LinkedHashMap<>();
        sent.put("k\\\"ey/", "q\"uote b\\slash /sl tab\t nl\n cr\r bs\b ff\f us\u001f del\u007f é € 😀 \u2028");
        sent.put("plain", "x");
        sent.put("empty", "");
        JsonMapper json = JsonMapper.builder().build();
        String properties = json.writeValueAsString(sent);
        String item = """
                {"externalId":"%s-props","email":"props-%s@acme-ingest.example","type":"PAGE_VIEW",
                 "occurredAt":"2025-07-01T12:00:00Z","properties":%s}""".formatted(run, run, properties);
        IntakeProgress.ingest(api, batch(item));
        String stored = jdbc.sql("SELECT properties::text FROM activity WHERE external_id = :x")
                .param("x", run + "-props")
                .query(String.class)
                .single();
        assertThat(PropertiesJson.read(stored, json)).isEqualTo(sent);
        assertThat(jdbc.sql("SELECT properties = CAST(:j AS jsonb) FROM activity WHERE external_id = :x")
                        .param("j", properties)
                        .param("x", run + "-props")
                        .query(Boolean.class)
                        .single())
                .isTrue();
    }

    @Test
    void activitiesNamingAProspectByIdAreAppliedToIt() {
        long id = api.post("/api/v1/prospects", "{\"email\":\"by-id-" + run + "@acme-ingest.example\"}")
                .json()
                .get("id")
                .asLong();

        IntakeProgress.ingest(api, batch("""
                {"externalId":"%s-id","prospectId":%d,"type":"CUSTOM","customName":"Trial started",
                 "occurredAt":"2025-07-01T12:00:00Z","properties":{"plan":"pro"}}""".formatted(run, id)));
        JsonNode item = api.get("/api/v1/prospects/" + id + "/activities")
                .json()
                .get("items")
                .get(0);
        assertThat(item.get("type").asString()).isEqualTo("CUSTOM");
        assertThat(item.get("customName").asString()).isEqualTo("Trial started");
        assertThat(item.get("properties").get("plan").asString()).isEqualTo("pro");
        assertThat(Instant.parse(api.get("/api/v1/prospects/" + id)
                        .json()
                        .get("lastActivityAt")
                        .asString()))
                .isEqualTo(Instant.parse("2025-07-01T12:00:00Z"));
    }

    @Test
    void theTimelineIsNewestFirstInStablePages() {
        String email = "timeline-" + run + "@acme-ingest.example";
        List<String> items = new ArrayList<>();
        for (int day = 1; day <= 5; day++) {
            items.add(byEmail(run + "-t" + day, email, "PAGE_VIEW", "2025-08-0" + day + "T10:00:00Z"));
        }
        api.post("/api/v1/activities", batch(items.toArray(String[]::new)));
        IntakeProgress.awaitDrained(api);
        long id = api.prospectId(email);

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = api.get("/api/v1/prospects/" + id + "/activities?limit=2"
                            + (cursor == null ? "" : "&cursor=" + cursor))
                    .json();
            page.get("items").forEach(item -> seen.add(item.get("externalId").asString()));
            cursor = page.get("nextCursor").isNull()
                    ? null
                    : page.get("nextCursor").asString();
            pages++;
        } while (cursor != null);

        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactly(run + "-t5", run + "-t4", run + "-t3", run + "-t2", run + "-t1");
    }

    @Test
    void theTimelineOfAnUnknownProspectIsNotFound() {
        var response = api.get("/api/v1/prospects/987654321/activities");
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.contentType()).startsWith("application/problem+json");
    }

    @Test
    void aCursorTheApiDidNotIssueIsRefused() {
        long id = api.post("/api/v1/prospects", "{\"email\":\"cursor-" + run + "@acme-ingest.example\"}")
                .json()
                .get("id")
                .asLong();
        var response = api.get("/api/v1/prospects/" + id + "/activities?cursor=bm90LWEtY3Vyc29y");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("errors").findValuesAsString("field")).containsExactly("cursor");
    }

    @Test
    void ingestWithoutAnApiKeyIsRefused() {
        var response = new TestApi(port, "not-a-key")
                .post(
                        "/api/v1/activities",
                        batch(byEmail(
                                run + "-anon",
                                "anon-" + run + "@acme-ingest.example",
                                "PAGE_VIEW",
                                "2025-01-01T00:00:00Z")));
        assertThat(response.status()).isEqualTo(401);
        assertThat(jdbc.sql("SELECT count(*) FROM activity WHERE external_id = :x")
                        .param("x", run + "-anon")
                        .query(Long.class)
                        .single())
                .isZero();
    }

    static String batch(String... items) {
        return "{\"activities\":[" + String.join(",", items) + "]}";
    }

    static String byEmail(String externalId, String email, String type, String occurredAt) {
        return "{\"externalId\":\"%s\",\"email\":\"%s\",\"type\":\"%s\",\"occurredAt\":\"%s\"}"
                .formatted(externalId, email, type, occurredAt);
    }
}

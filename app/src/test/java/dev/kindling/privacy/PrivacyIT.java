package dev.kindling.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.intake.IntakeProgress;
import dev.kindling.intake.Visitors;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

@IntegrationTest
class PrivacyIT {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Visitors visitors;

    @Autowired
    Clock clock;

    TestApi api;
    TestApi anonymous;
    String run;

    @BeforeEach
    void setUp() {
        api = new TestApi(port);
        anonymous = new TestApi(port, null);
        run = UUID.randomUUID().toString().substring(0, 8);
    }

    private long prospect(String email) {
        return api.newProspect("""
                {"email":"%s","firstName":"Ada","lastName":"Lovelace","company":"Engines %s","jobTitle":"Analyst",
                 "phone":"+44 20 7946 0000","country":"GB","industry":"Software"}""".formatted(email, run));
    }

    private void activity(String subject, String type, String properties) {
        var r = api.post("/api/v1/activities", """
                {"activities":[{"externalId":"%s",%s,"type":"%s","occurredAt":"%s","properties":%s}]}""".formatted(
                        UUID.randomUUID(), subject, type, clock.instant().minusSeconds(30), properties));
        assertThat(r.status()).as(r.body()).isEqualTo(202);
    }

    private TestApi marketing() {
        var user = api.post("/api/v1/users", """
                {"email":"mkt-%s@kindling.example","name":"Mkt","role":"MARKETING"}""".formatted(UUID.randomUUID()));
        var key = api.post(
                "/api/v1/api-keys", "{\"userId\":" + user.json().get("id").asLong() + ",\"name\":\"m\"}");
        return api.as(key.json().get("key").asString());
    }

    @Test
    void theExportHoldsEverythingKnownAboutTheProspectAsOneJsonDocument() {
        String email = "export-" + run + "@privacy.example";
        long id = prospect(email);
        activity(
                "\"prospectId\":" + id,
                "PAGE_VIEW",
                "{\"url\":\"https://www.example.com/pricing?ref=mail\",\"userAgent\":\"Mozilla/5.0 Test\"}");
        assertThat(api.post("/api/v1/prospects/" + id + "/consents", """
                {"purpose":"TRACKING","status":"GRANTED","source":"cookie banner","text":"We use cookies"}""").status())
                .isEqualTo(201);
        long list = api.post("/api/v1/lists", "{\"name\":\"Export " + run + "\",\"kind\":\"STATIC\"}")
                .json()
                .get("id")
                .asLong();
        api.post("/api/v1/lists/" + list + "/members", "{\"prospectIds\":[" + id + "]}");
        api.patch("/api/v1/prospects/" + id, "{\"jobTitle\":\"Head of Analysis\"}");
        IntakeProgress.awaitDrained(api);

        var r = api.get("/api/v1/prospects/" + id + "/export");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.raw().headers().firstValue("Content-Disposition").orElse(""))
                .contains("prospect-" + id + ".json");
        JsonNode doc = r.json();
        assertThat(doc.get("prospect").get("email").asString()).isEqualTo(email);
        assertThat(doc.get("prospect").get("job_title").asString()).isEqualTo("Head of Analysis");
        assertThat(doc.get("activities").toString()).contains("pricing?ref=mail");
        assertThat(doc.get("stageHistory")).isNotEmpty();
        assertThat(doc.get("listMemberships")
                        .valueStream()
                        .map(m -> m.get("list_id").asLong()))
                .contains(list);
        assertThat(doc.get("consents").get(0).get("source").asString()).isEqualTo("cookie banner");
        assertThat(doc.has("grade")).isTrue();
        assertThat(doc.get("auditEntries").toString()).contains("Head of Analysis");
        for (String section : ProspectExport.TABLES.values()) {
            assertThat(doc.get(section).isArray()).as(section).isTrue();
        }

        assertThat(marketing().get("/api/v1/prospects/" + id + "/export").status())
                .isEqualTo(403);
        assertThat(api.get("/api/v1/prospects/987654321/export").status()).isEqualTo(404);
    }

    @Test
    void everyColumnReferringToAProspectIsCoveredByTheExport() {
        List<String> columns = jdbc.sql("""
                        SELECT k.table_name || '.' || k.column_name
                          FROM information_schema.referential_constraints r
                          JOIN information_schema.key_column_usage k
                            ON k.constraint_schema = r.constraint_schema AND k.constraint_name = r.constraint_name
                          JOIN information_schema.constraint_column_usage u
                            ON u.constraint_schema = r.unique_constraint_schema AND u.constraint_name = r.unique_constraint_name
                         WHERE u.table_name = 'prospect' AND k.table_schema = current_schema()
                        UNION
                        SELECT c.table_name || '.' || c.column_name FROM information_schema.columns c
                          JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
                         WHERE c.column_name LIKE '%prospect_id' AND c.table_schema = current_schema()
                           AND t.table_type = 'BASE TABLE'
                        EXCEPT -- a partition's columns are its partitioned table's (activity's months)
                        SELECT c.relname || '.' || a.attname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
                         WHERE c.relispartition""").query(String.class).list();
        assertThat(columns).contains("activity.prospect_id", "consent.prospect_id", "prospect_merged.survivor_id");
        assertThat(ProspectExport.TABLES.keySet())
                .as("columns referring to a prospect missing from the export")
                .containsAll(columns);
    }

    @Test
    void erasureTakesAnAdminAndTheProspectsEmailAndLeavesNothingOnARefusal() {
        String email = "careful-" + run + "@privacy.example";
        long id = prospect(email);
        assertThat(marketing()
                        .post("/api/v1/prospects/" + id + "/erase", "{\"confirm\":\"" + email + "\"}")
                        .status())
                .isEqualTo(403);
        for (String body : List.of("{}", "{\"confirm\":\"someone-else@privacy.example\"}", "{\"confirm\":42}")) {
            var refused = api.post("/api/v1/prospects/" + id + "/erase", body);
            assertThat(refused.status()).as(body).isEqualTo(400);
            assertThat(refused.contentType()).startsWith("application/problem+json");
        }
        assertThat(api.get("/api/v1/prospects/" + id).json().get("email").asString())
                .isEqualTo(email);
        assertThat(api.post("/api/v1/prospects/987654321/erase", "{\"confirm\":\"x@y.example\"}")
                        .status())
                .isEqualTo(404);
    }

    @Test
    void erasureRemovesPersonalDataEverywhereKeepsTheCountsAndNeverLetsThePersonBack() {
        String email = "Erase.Me-" + run + "@privacy.example";
        String normalised = email.toLowerCase();
        long id = prospect(email);
        String visitor = "visitor-erase-" + run;
        visitors.link(visitor, id, clock.instant());
        activity("\"prospectId\":" + id, "PAGE_VIEW", """
                {"url":"https://www.example.com/pricing?email=%s#top","userAgent":"Mozilla/5.0 Erase","title":"Pricing"}""".formatted(normalised));
        api.patch("/api/v1/prospects/" + id, "{\"jobTitle\":\"Secret Title " + run + "\"}");
        api.post("/api/v1/prospects/" + id + "/stage", "{\"stage\":\"MQL\",\"reason\":\"erasure test\"}");
        jdbc.sql("""
                        INSERT INTO mail_outbox (dedupe_key, kind, to_address, subject, text_body, html_body, prospect_id,
                                                 status, created_at, next_attempt_at)
                        VALUES (?, 'MARKETING', ?, 'Hello Ada', 'Dear Ada', '<p>Dear Ada</p>', ?, 'PENDING', now(),
                                now() + interval '1 day')""").params("erase-test-" + run, normalised, id).update();
        jdbc.sql("""
                        INSERT INTO webhook_outbox (url, body, source, created_at, next_attempt_at)
                        VALUES ('https://hooks.example.com/erase', CAST(? AS jsonb), 'test', now(), now() + interval '1 day')""")
                .param("{\"prospect\":{\"id\":" + id + ",\"email\":\"" + normalised + "\"}}")
                .update();
        String lead = "00Q" + String.format("%015d", id);
        jdbc.sql("""
                        INSERT INTO salesforce_record (sf_id, object, prospect_id, fields, linked_at)
                        VALUES (?, 'Lead', ?, CAST(? AS jsonb), now())""")
                .params(lead, id, "{\"email\":{\"synced\":\"" + normalised + "\"}}")
                .update();
        jdbc.sql("INSERT INTO salesforce_outbox (prospect_id, queued_at, next_attempt_at) VALUES (?, now(), now())")
                .param(id)
                .update();
        jdbc.sql("""
                        INSERT INTO salesforce_error (object, sf_id, kind, code, message, record, first_at, last_at)
                        VALUES ('Lead', ?, 'VALIDATION', 'FIELD_CUSTOM_VALIDATION_EXCEPTION', 'no', CAST(? AS jsonb),
                                now(), now())""").params(lead, "{\"Email\":\"" + normalised + "\"}").update();
        IntakeProgress.awaitDrained(api);
        long activities = count("SELECT count(*) FROM activity WHERE prospect_id = ?", id);

        var erased = api.post("/api/v1/prospects/" + id + "/erase", "{\"confirm\":\"" + email.toUpperCase() + "\"}");
        assertThat(erased.status()).as(erased.body()).isEqualTo(200);

        JsonNode shell = api.get("/api/v1/prospects/" + id).json();
        assertThat(shell.get("email").asString()).isEqualTo("erased-" + id + "@erased.invalid");
        for (String field : List.of("firstName", "lastName", "company", "jobTitle", "phone")) {
            assertThat(shell.get(field).isNull()).as(field).isTrue();
        }
        assertThat(shell.get("stage").asString()).isEqualTo("MQL");
        assertThat(shell.get("optedOut").asBoolean()).isTrue();
        assertThat(shell.get("doNotEmail").asBoolean()).isTrue();
        assertThat(count("SELECT count(*) FROM activity WHERE prospect_id = ?", id))
                .isEqualTo(activities);
        String properties = jdbc.sql("SELECT string_agg(properties::text, ' ') FROM activity WHERE prospect_id = ?")
                .param(id)
                .query(String.class)
                .single();
        assertThat(properties)
                .contains("https://www.example.com/pricing\"")
                .doesNotContain(normalised, "Mozilla", "Pricing\"", "#top");
        assertThat(count(
                        "SELECT count(*) FROM activity WHERE prospect_id = ? AND (email IS NOT NULL OR visitor_id IS NOT NULL)",
                        id))
                .isZero();
        assertThat(count("SELECT count(*) FROM visitor WHERE id = ? OR prospect_id = ?", visitor, id))
                .isZero();
        Map<String, Object> mail = jdbc.sql(
                        "SELECT to_address, subject, text_body, html_body, status FROM mail_outbox WHERE dedupe_key = ?")
                .param("erase-test-" + run)
                .query()
                .singleRow();
        assertThat(mail.get("to_address")).isEqualTo("erased");
        assertThat(mail.get("text_body")).isEqualTo("");
        assertThat(mail.get("html_body")).isNull();
        assertThat(mail.get("status")).isEqualTo("FAILED");
        assertThat(jdbc.sql(
                                "SELECT body::text FROM webhook_outbox WHERE url = 'https://hooks.example.com/erase' AND body = '{\"erased\":true}'::jsonb")
                        .query(String.class)
                        .list())
                .isNotEmpty();
        assertThat(count("SELECT count(*) FROM webhook_outbox WHERE body::text LIKE ?", "%" + normalised + "%"))
                .isZero();
        assertThat(count(
                        "SELECT count(*) FROM salesforce_record WHERE prospect_id = ? AND state = 'DETACHED'"
                                + " AND fields = '{}'::jsonb",
                        id))
                .isEqualTo(1);
        assertThat(count("SELECT count(*) FROM salesforce_outbox WHERE prospect_id = ?", id))
                .isZero();
        assertThat(count(
                        "SELECT count(*) FROM salesforce_error WHERE sf_id = ? AND (record::text LIKE ? OR resolved_at IS NULL)",
                        lead,
                        "%" + normalised + "%"))
                .isZero();
        assertThat(count(
                        "SELECT count(*) FROM audit_entry WHERE object_type = 'prospect' AND object_id = ? AND"
                                + " (before::text LIKE ? OR after::text LIKE ?)",
                        Long.toString(id),
                        "%Secret Title%",
                        "%Secret Title%"))
                .isZero();
        JsonNode audit = api.get("/api/v1/audit?objectType=prospect&objectId=" + id + "&action=erase")
                .json();
        assertThat(audit.get("items")).hasSize(1);
        assertThat(audit.get("items").get(0).get("actor").get("email").asString())
                .isEqualTo("admin@kindling.local");
        assertThat(audit.get("items").get(0).toString()).doesNotContain(normalised);
        assertThat(count("SELECT count(*) FROM erased_email WHERE email_hash LIKE ?", "%" + normalised + "%"))
                .isZero();

        // never again: not through the API, an activity, an import or a second erasure
        var again = api.post("/api/v1/prospects", "{\"email\":\"" + normalised + "\"}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.contentType()).startsWith("application/problem+json");
        activity("\"email\":\"" + normalised + "\"", "PAGE_VIEW", "{\"url\":\"https://www.example.com/\"}");
        IntakeProgress.awaitDrained(api);
        var importBody =
                "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.csv\"\r\nContent-Type: text/csv\r\n\r\n"
                        + "email,firstName\r\n" + normalised + ",Ada\r\n--b--\r\n";
        api.send(api.request("/api/v1/imports/prospects")
                .header("Content-Type", "multipart/form-data; boundary=b")
                .POST(HttpRequest.BodyPublishers.ofString(importBody))
                .build());
        assertThat(api.post("/api/v1/forms", """
                {"key":"erased-%s","name":"Erased","fieldMapping":{"e":"email"},"successUrl":"https://www.example.com/t"}""".formatted(run)).status()).isEqualTo(201);
        var form = anonymous.send(anonymous
                .request("/f/erased-" + run)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("e=" + normalised))
                .build());
        assertThat(form.status()).isEqualTo(409);
        assertThat(api.prospectsByEmail(normalised)).isEmpty();
        assertThat(count("SELECT count(*) FROM activity WHERE email = ? AND prospect_id IS NOT NULL", normalised))
                .isZero();
        assertThat(api.post("/api/v1/prospects/" + id + "/erase", "{\"confirm\":\"erased-" + id + "@erased.invalid\"}")
                        .status())
                .isEqualTo(409);
    }

    @Test
    void consentsAreRecordedListedAndAWithdrawnEmailConsentOptsOut() {
        long id = prospect("consent-" + run + "@privacy.example");
        assertThat(api.get("/api/v1/prospects/" + id + "/consents").json().get("items"))
                .isEmpty();
        var granted = api.post("/api/v1/prospects/" + id + "/consents", """
                {"purpose":"EMAIL_MARKETING","status":"GRANTED","source":"webinar form","text":"Send me news"}""");
        assertThat(granted.status()).as(granted.body()).isEqualTo(201);
        assertThat(api.get("/api/v1/prospects/" + id).json().get("optedOut").asBoolean())
                .isFalse();
        assertThat(api.post("/api/v1/prospects/" + id + "/consents", """
                {"purpose":"EMAIL_MARKETING","status":"WITHDRAWN","text":"Stop"}""").status())
                .isEqualTo(201);
        JsonNode items = api.get("/api/v1/prospects/" + id + "/consents").json().get("items");
        assertThat(items).hasSize(2);
        assertThat(items.get(0).get("status").asString()).isEqualTo("WITHDRAWN");
        assertThat(items.get(0).get("source").asString()).isEqualTo("api");
        assertThat(items.get(1).get("text").asString()).isEqualTo("Send me news");
        assertThat(api.get("/api/v1/prospects/" + id).json().get("optedOut").asBoolean())
                .isTrue();

        for (String bad : List.of(
                "{\"purpose\":\"SPAM\",\"status\":\"GRANTED\"}",
                "{\"purpose\":\"TRACKING\"}",
                "{\"purpose\":\"TRACKING\",\"status\":\"GRANTED\",\"text\":7}",
                "{\"purpose\":\"TRACKING\",\"status\":\"GRANTED\",\"x\":1}")) {
            var r = api.post("/api/v1/prospects/" + id + "/consents", bad);
            assertThat(r.status()).as(bad).isEqualTo(400);
        }
        assertThat(api.post("/api/v1/prospects/987654321/consents", "{\"purpose\":\"TRACKING\",\"status\":\"GRANTED\"}")
                        .status())
                .isEqualTo(404);
        assertThat(api.get("/api/v1/prospects/" + id + "/consents").json().get("items"))
                .hasSize(2);
    }

    @Test
    void aVisitorWhoseProspectWithdrewTrackingIsNoLongerCollected() {
        long withdrawn = prospect("no-track-" + run + "@privacy.example");
        long tracked = prospect("track-" + run + "@privacy.example");
        String quiet = "visitor-quiet-" + run;
        String loud = "visitor-loud-" + run;
        visitors.link(quiet, withdrawn, clock.instant());
        visitors.link(loud, tracked, clock.instant());
        assertThat(api.post(
                                "/api/v1/prospects/" + withdrawn + "/consents",
                                "{\"purpose\":\"TRACKING\",\"status\":\"WITHDRAWN\",\"source\":\"preference centre\"}")
                        .status())
                .isEqualTo(201);
        for (String visitor : List.of(quiet, loud)) {
            var r = anonymous.send(anonymous
                    .request("/t/collect")
                    .header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"visitorId\":\"" + visitor + "\",\"url\":\"https://www.example.com/a\"}"))
                    .build());
            assertThat(r.status()).isEqualTo(204);
        }
        assertThat(count("SELECT count(*) FROM activity WHERE visitor_id = ?", quiet))
                .isZero();
        assertThat(count("SELECT count(*) FROM activity WHERE visitor_id = ?", loud))
                .isEqualTo(1);
    }

    @Test
    void unsubscribingFromAnEmailRecordsAWithdrawnEmailMarketingConsent() {
        long id = prospect("unsub-" + run + "@privacy.example");
        long list = api.post("/api/v1/lists", "{\"name\":\"Unsub " + run + "\",\"kind\":\"STATIC\"}")
                .json()
                .get("id")
                .asLong();
        api.post("/api/v1/lists/" + list + "/members", "{\"prospectIds\":[" + id + "]}");
        long template = api.post("/api/v1/email/templates", """
                {"name":"Unsub %s","subject":"News","html":"<p>Hi <a href=\\"{{unsubscribe_url}}\\">unsubscribe</a></p>",
                 "text":"Hi {{unsubscribe_url}}"}""".formatted(run))
                .json()
                .get("id")
                .asLong();
        var send = api.post(
                "/api/v1/email/sends",
                "{\"name\":\"Unsub " + run + "\",\"templateId\":" + template + ",\"listId\":" + list + "}");
        assertThat(send.status()).as(send.body()).isEqualTo(201);
        String headers = jdbc.sql(
                        "SELECT CAST(headers AS text) FROM mail_outbox WHERE prospect_id = ? AND kind = 'MARKETING'")
                .param(id)
                .query(String.class)
                .single();
        Matcher m =
                Pattern.compile("https?://[^/\"\\s>]+(/e/u/[A-Za-z0-9_.-]+)").matcher(headers);
        assertThat(m.find()).isTrue();
        var post = anonymous.send(anonymous
                .request(m.group(1))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("List-Unsubscribe=One-Click"))
                .build());
        assertThat(post.status()).isEqualTo(200);
        JsonNode items = api.get("/api/v1/prospects/" + id + "/consents").json().get("items");
        assertThat(items).hasSize(1);
        assertThat(items.get(0).get("purpose").asString()).isEqualTo("EMAIL_MARKETING");
        assertThat(items.get(0).get("status").asString()).isEqualTo("WITHDRAWN");
        assertThat(items.get(0).get("source").asString()).isEqualTo("unsubscribe:one-click");
    }

    private long count(String sql, Object... params) {
        List<Object> values = new ArrayList<>(List.of(params));
        return jdbc.sql(sql).params(values).query(Long.class).single();
    }
}

package dev.kindling.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

@IntegrationTest
class AuditLogIT {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    TestApi root;
    String run;

    @BeforeEach
    void setUp() {
        root = new TestApi(port);
        run = UUID.randomUUID().toString().substring(0, 8);
    }

    /** A fresh user with this role and an API key of theirs named {@code key-<run>}. */
    private Holder holder(String role) {
        return holder(role, "key-" + run);
    }

    private Holder holder(String role, String keyName) {
        String email = "auditor-" + role.toLowerCase() + "-" + UUID.randomUUID() + "@kindling.example";
        var user = root.post("/api/v1/users", """
                {"email":"%s","name":"Auditor","role":"%s","password":"long-enough-password"}""".formatted(email, role));
        assertThat(user.status()).as(user.body()).isEqualTo(201);
        var key = root.post(
                "/api/v1/api-keys", """
                {"userId":%d,"name":"%s"}""".formatted(user.json().get("id").asLong(), keyName));
        assertThat(key.status()).as(key.body()).isEqualTo(201);
        return new Holder(
                email,
                user.json().get("id").asLong(),
                key.json().get("id").asLong(),
                root.as(key.json().get("key").asString()));
    }

    private record Holder(String email, long userId, long keyId, TestApi api) {}

    private static long created(TestApi.Response r) {
        assertThat(r.status()).as(r.body()).isIn(200, 201);
        return r.json().get("id").asLong();
    }

    private static void ok(TestApi.Response r) {
        assertThat(r.status()).as(r.body()).isBetween(200, 299);
    }

    private static TestApi.Response delete(TestApi api, String path) {
        return api.send(api.request(path).DELETE().build());
    }

    /** Every entry made by this actor, newest first, following the cursor. */
    private List<JsonNode> entriesOf(String email) {
        List<JsonNode> all = new ArrayList<>();
        String cursor = "";
        do {
            var page =
                    root.get("/api/v1/audit?limit=20&actor=" + email + (cursor.isEmpty() ? "" : "&cursor=" + cursor));
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            page.json().get("items").forEach(all::add);
            JsonNode next = page.json().get("nextCursor");
            cursor = next == null || next.isNull() ? "" : next.asString();
        } while (!cursor.isEmpty());
        return all;
    }

    private static JsonNode entry(List<JsonNode> entries, String type, String action) {
        return entries.stream()
                .filter(e -> e.get("objectType").asString().equals(type)
                        && e.get("action").asString().equals(action))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " " + action + " entry in " + entries));
    }

    @Test
    void everyConfigurationChangeAndManualProspectChangeThroughTheApiIsRecordedWithTheKeyBeforeAndAfter() {
        Holder admin = holder("ADMIN");
        TestApi api = admin.api();

        long rule = created(api.post("/api/v1/scoring-rules", """
                {"name":"audit %s","activityType":"CUSTOM","customName":"audit-%s","points":3}""".formatted(run, run)));
        ok(api.patch("/api/v1/scoring-rules/" + rule, "{\"points\":4}"));
        ok(delete(api, "/api/v1/scoring-rules/" + rule));
        long profile = created(api.post("/api/v1/grading-profiles", """
                {"name":"Audit %s","criteria":[{"label":"Senior",
                 "condition":{"any":[{"field":"jobTitle","op":"contains","value":"head"}]},"weight":1}]}""".formatted(run)));
        ok(delete(api, "/api/v1/grading-profiles/" + profile));
        ok(api.put("/api/v1/lifecycle", api.get("/api/v1/lifecycle").body()));
        ok(api.put(
                "/api/v1/settings/api-docs",
                api.get("/api/v1/settings/api-docs").body()));
        long automation = created(api.post("/api/v1/automation-rules", """
                {"name":"Audit %s","condition":{"field":"email","op":"contains","value":"%s"},
                 "actions":[{"type":"adjustScore","points":1}]}""".formatted(run, run)));
        ok(delete(api, "/api/v1/automation-rules/" + automation));
        long list = created(api.post("/api/v1/lists", "{\"name\":\"Audit list " + run + "\",\"kind\":\"STATIC\"}"));
        created(api.post("/api/v1/programs", """
                {"name":"Audit program %s","start":"a","recipientListIds":[],"steps":[
                 {"id":"a","type":"ACTION","action":{"type":"adjustScore","points":1},"next":"end"},
                 {"id":"end","type":"END"}]}""".formatted(run)));
        created(api.post("/api/v1/email/templates", """
                {"name":"Audit template %s","subject":"Hello","html":"<p>Hi <a href=\\"{{unsubscribe_url}}\\">u</a></p>",
                 "text":"Hi {{unsubscribe_url}}"}""".formatted(run)));
        created(api.post("/api/v1/forms", """
                {"key":"audit-%s","name":"Audit","fieldMapping":{"e":"email"},"successUrl":"https://www.example.com/t"}""".formatted(run)));
        created(api.post(
                "/api/v1/links", "{\"name\":\"Audit " + run + "\",\"targetUrl\":\"https://www.example.com/a\"}"));
        long webhook = created(api.post("/api/v1/webhooks", """
                {"url":"https://hooks.example.com/%s","events":["*"]}""".formatted(run)));
        ok(delete(api, "/api/v1/webhooks/" + webhook));
        created(api.post("/api/v1/teams", "{\"name\":\"Audit team " + run + "\"}"));
        created(api.post("/api/v1/custom-fields", "{\"name\":\"audit_" + run + "\",\"type\":\"TEXT\"}"));
        created(api.post("/api/v1/campaigns", "{\"name\":\"Audit campaign " + run + "\",\"channel\":\"WEB\"}"));
        long rep = created(api.post("/api/v1/users", """
                {"email":"rep-%s@kindling.example","name":"Rep","role":"MARKETING"}""".formatted(run)));
        ok(api.patch("/api/v1/users/" + rep, "{\"role\":\"SALES\"}"));
        long key = created(api.post("/api/v1/api-keys", "{\"userId\":" + rep + ",\"name\":\"rep key\"}"));
        ok(delete(api, "/api/v1/api-keys/" + key));

        long prospect = created(api.post("/api/v1/prospects", """
                {"email":"audited-%s@audit.example","jobTitle":"Engineer"}""".formatted(run)));
        ok(api.patch("/api/v1/prospects/" + prospect, "{\"jobTitle\":\"CTO\"}"));
        ok(api.post("/api/v1/lists/" + list + "/members", "{\"prospectIds\":[" + prospect + "]}"));
        ok(api.post("/api/v1/prospects/" + prospect + "/score/adjust", "{\"delta\":5,\"reason\":\"audit\"}"));
        ok(api.post("/api/v1/prospects/" + prospect + "/score/reset", ""));
        ok(api.post("/api/v1/prospects/" + prospect + "/score/undo-reset", ""));
        ok(api.post("/api/v1/prospects/" + prospect + "/stage", "{\"stage\":\"MQL\",\"reason\":\"audit\"}"));
        ok(api.post("/api/v1/prospects/" + prospect + "/owner", "{\"userId\":" + rep + "}"));
        long twin = created(api.post("/api/v1/prospects", "{\"email\":\"twin-" + run + "@audit.example\"}"));
        ok(api.post("/api/v1/prospects/" + prospect + "/merge", "{\"loserId\":" + twin + "}"));

        List<JsonNode> entries = entriesOf(admin.email());
        Set<String> kinds = new HashSet<>();
        entries.forEach(e ->
                kinds.add(e.get("objectType").asString() + " " + e.get("action").asString()));
        assertThat(kinds)
                .contains(
                        "scoring_rule create",
                        "scoring_rule update",
                        "scoring_rule delete",
                        "grading_profile create",
                        "grading_profile delete",
                        "lifecycle_settings update",
                        "api_docs_setting update",
                        "automation_rule create",
                        "automation_rule delete",
                        "list create",
                        "list add_members",
                        "program create",
                        "email_template create",
                        "form create",
                        "tracked_link create",
                        "webhook_subscription create",
                        "webhook_subscription delete",
                        "team create",
                        "custom_field create",
                        "campaign create",
                        "user create",
                        "user update",
                        "api_key create",
                        "api_key revoke",
                        "prospect update",
                        "prospect score_adjust",
                        "prospect score_reset",
                        "prospect score_undo_reset",
                        "prospect stage",
                        "prospect owner",
                        "prospect merge");
        for (JsonNode e : entries) {
            JsonNode actor = e.get("actor");
            assertThat(actor.get("type").asString()).isEqualTo("API_KEY");
            assertThat(actor.get("userId").asLong()).isEqualTo(admin.userId());
            assertThat(actor.get("apiKeyId").asLong()).isEqualTo(admin.keyId());
            assertThat(actor.get("apiKeyName").asString()).isEqualTo("key-" + run);
        }

        JsonNode ruleUpdate = entry(entries, "scoring_rule", "update");
        assertThat(ruleUpdate.get("objectId").asString()).isEqualTo(Long.toString(rule));
        assertThat(ruleUpdate.get("before").get("points").asInt()).isEqualTo(3);
        assertThat(ruleUpdate.get("after").get("points").asInt()).isEqualTo(4);
        JsonNode fields = entry(entries, "prospect", "update");
        assertThat(fields.get("objectId").asString()).isEqualTo(Long.toString(prospect));
        assertThat(fields.get("before").get("jobTitle").asString()).isEqualTo("Engineer");
        assertThat(fields.get("after").get("jobTitle").asString()).isEqualTo("CTO");
        JsonNode adjust = entry(entries, "prospect", "score_adjust");
        assertThat(adjust.get("after").get("score").asInt()
                        - adjust.get("before").get("score").asInt())
                .isEqualTo(5);
        JsonNode stage = entry(entries, "prospect", "stage");
        assertThat(stage.get("before").get("stage").asString()).isEqualTo("CAPTURED");
        assertThat(stage.get("after").get("stage").asString()).isEqualTo("MQL");
        JsonNode role = entry(entries, "user", "update");
        assertThat(role.get("before").get("role").asString()).isEqualTo("MARKETING");
        assertThat(role.get("after").get("role").asString()).isEqualTo("SALES");
        assertThat(entry(entries, "prospect", "owner")
                        .get("after")
                        .get("ownerId")
                        .asLong())
                .isEqualTo(rep);
        JsonNode merge = entry(entries, "prospect", "merge");
        assertThat(merge.get("objectId").asString()).isEqualTo(Long.toString(prospect));
        assertThat(merge.get("before").get("loser").get("id").asLong()).isEqualTo(twin);
        assertThat(merge.get("after").get("prospect").get("id").asLong()).isEqualTo(prospect);
        assertThat(entry(entries, "webhook_subscription", "create").get("after").toString())
                .doesNotContain("whsec_");
        assertThat(entry(entries, "api_key", "create").get("after").toString()).doesNotContain("kdl_");
    }

    @Test
    void entriesPageWithACursorAndFilterByObjectActionAndTime() {
        Holder admin = holder("ADMIN");
        List<Long> lists = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            lists.add(created(admin.api()
                    .post("/api/v1/lists", "{\"name\":\"Paged " + run + " " + i + "\",\"kind\":\"STATIC\"}")));
        }
        var first = root.get("/api/v1/audit?limit=2&objectType=list&action=create&actor=" + admin.email());
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().get("items")).hasSize(2);
        assertThat(first.json().get("items").get(0).get("objectId").asString())
                .isEqualTo(lists.get(4).toString());
        assertThat(first.json().get("items").get(1).get("objectId").asString())
                .isEqualTo(lists.get(3).toString());
        String cursor = first.json().get("nextCursor").asString();
        var second = root.get(
                "/api/v1/audit?limit=2&objectType=list&action=create&actor=" + admin.email() + "&cursor=" + cursor);
        assertThat(second.json().get("items").get(0).get("objectId").asString())
                .isEqualTo(lists.get(2).toString());

        var one = root.get("/api/v1/audit?objectType=list&objectId=" + lists.get(1));
        assertThat(one.json().get("items")).hasSize(1);
        assertThat(one.json().get("items").get(0).get("after").get("name").asString())
                .isEqualTo("Paged " + run + " 1");

        String at = one.json().get("items").get(0).get("at").asString();
        assertThat(root.get("/api/v1/audit?objectType=list&objectId=" + lists.get(1) + "&from=" + at)
                        .json()
                        .get("items"))
                .hasSize(1);
        assertThat(root.get("/api/v1/audit?objectType=list&objectId=" + lists.get(1) + "&to=" + at)
                        .json()
                        .get("items"))
                .isEmpty();
        assertThat(root.get("/api/v1/audit?apiKeyId=" + admin.keyId()).json().get("items"))
                .hasSize(5);
    }

    @Test
    void theCsvExportHasEveryFilteredEntryWithFormulasDefused() {
        Holder admin = holder("ADMIN", "=SUM(A1) " + run);
        long list = created(admin.api().post("/api/v1/lists", "{\"name\":\"Csv " + run + "\",\"kind\":\"STATIC\"}"));
        var csv = root.send(root.request("/api/v1/audit?objectType=list&objectId=" + list)
                .header("Accept", "text/csv")
                .GET()
                .build());
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        String[] lines = csv.body().split("\r\n");
        assertThat(lines[0]).startsWith("id,at,actor_type,actor_email");
        assertThat(lines).hasSize(2);
        assertThat(lines[1])
                .contains("API_KEY", admin.email(), ",'=SUM(A1) " + run + ",", ",list,", ",create,")
                .doesNotContain(",=SUM");
        var file = root.get("/api/v1/audit/export.csv?objectType=list&objectId=" + list);
        assertThat(file.status()).isEqualTo(200);
        assertThat(file.raw().headers().firstValue("Content-Disposition").orElse(""))
                .contains("audit-log.csv");
        assertThat(file.body()).isEqualTo(csv.body());
    }

    @Test
    void onlyAdminsReadTheAuditLogAndBadFiltersAreRejected() {
        Holder marketing = holder("MARKETING");
        var refused = marketing.api().get("/api/v1/audit");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(marketing.api().get("/api/v1/audit/export.csv").status()).isEqualTo(403);
        for (String bad : List.of(
                "from=yesterday", "to=0000-01-01T00:00:00Z", "limit=0", "limit=x", "cursor=bm9wZQ", "apiKeyId=abc")) {
            var r = root.get("/api/v1/audit?" + bad);
            assertThat(r.status()).as(bad).isEqualTo(400);
            assertThat(r.contentType()).as(bad).startsWith("application/problem+json");
        }
    }

    @Test
    void theDatabaseRefusesToChangeOrRemoveAnEntry() {
        created(root.post("/api/v1/lists", "{\"name\":\"Kept " + run + "\",\"kind\":\"STATIC\"}"));
        long id = jdbc.sql("SELECT max(id) FROM audit_entry").query(Long.class).single();
        assertThatThrownBy(() -> jdbc.sql("UPDATE audit_entry SET action = 'forged' WHERE id = ?")
                        .param(id)
                        .update())
                .hasStackTraceContaining("append-only");
        assertThatThrownBy(() -> jdbc.sql("UPDATE audit_entry SET actor_email = 'x', before = NULL, after = NULL,"
                                + " redacted = true WHERE id = ?")
                        .param(id)
                        .update())
                .hasStackTraceContaining("append-only");
        assertThatThrownBy(() -> jdbc.sql("DELETE FROM audit_entry WHERE id = ?")
                        .param(id)
                        .update())
                .hasStackTraceContaining("append-only");
        assertThatThrownBy(() -> jdbc.sql("TRUNCATE audit_entry").update()).hasStackTraceContaining("append-only");
        assertThat(jdbc.sql("SELECT action FROM audit_entry WHERE id = ?")
                        .param(id)
                        .query(String.class)
                        .single())
                .isEqualTo("create");
    }
}

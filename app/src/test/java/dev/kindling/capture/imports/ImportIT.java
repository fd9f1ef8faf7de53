package dev.kindling.capture.imports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

@IntegrationTest
class ImportIT {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    TestApi api;

    @BeforeEach
    void setUp() {
        api = new TestApi(port);
    }

    TestApi.Response upload(String path, byte[] file, Map<String, String> fields) {
        return upload(api, path, file, fields);
    }

    TestApi.Response upload(TestApi api, String path, byte[] file, Map<String, String> fields) {
        String boundary = "----kindling" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        fields.forEach((name, value) -> body.writeBytes(
                ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n")
                        .getBytes(StandardCharsets.UTF_8)));
        body.writeBytes(
                ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"import.csv\"\r\n"
                                + "Content-Type: text/csv\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(file);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return api.send(api.request(path)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build());
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void importsACommaFileWithBomReportingEachRowAndKeepingGoodRowsPastABadOne() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        long campaign = api.post("/api/v1/campaigns", "{\"name\":\"Trade show list\",\"channel\":\"LIST_PURCHASE\"}")
                .json()
                .get("id")
                .asLong();
        String csv = "\uFEFFEmail,FirstName,Company,Employees,Notes\r\n"
                + "ann-" + tag + "@import.example,Ann,\"Acme, Inc.\",120,\"likes \"\"quotes\"\"\"\r\n"
                + "not-an-email,Bad,Bad Co,many,\r\n"
                + "bob-" + tag + "@import.example,Bob,Bobco,,\"two\nlines\"\r\n"
                + "ANN-" + tag + "@Import.example,Annie,,,\r\n";
        var response = upload("/api/v1/imports/prospects", utf8(csv), Map.of("campaignId", Long.toString(campaign)));
        assertThat(response.status()).isEqualTo(200);
        JsonNode result = response.json();
        assertThat(result.get("created").asInt()).isEqualTo(2);
        assertThat(result.get("updated").asInt()).isEqualTo(1);
        assertThat(result.get("skipped").asInt()).isEqualTo(1);
        assertThat(result.get("rows").findValuesAsString("status"))
                .containsExactly("CREATED", "SKIPPED", "CREATED", "UPDATED");
        assertThat(result.get("rows").get(1).get("row").asInt()).isEqualTo(3);
        assertThat(result.get("rows").get(1).get("reason").asString())
                .contains("email")
                .contains("employees");
        assertThat(result.get("rows").get(0).get("prospectId").asLong())
                .isEqualTo(result.get("rows").get(3).get("prospectId").asLong());

        var ann = jdbc.sql("SELECT first_name, company, employees FROM prospect WHERE email = ?")
                .param("ann-" + tag + "@import.example")
                .query((rs, n) -> new Object[] {rs.getString(1), rs.getString(2), rs.getInt(3)})
                .single();
        assertThat(ann).containsExactly("Annie", "Acme, Inc.", 120);
        assertThat(jdbc.sql("""
                        SELECT count(*) FROM activity a JOIN prospect p ON p.id = a.prospect_id
                         WHERE a.type = 'LIST_IMPORT' AND a.campaign_id = ? AND p.email LIKE ?""")
                        .param(campaign)
                        .param("%-" + tag + "@import.example")
                        .query(Long.class)
                        .single())
                .isEqualTo(3);
    }

    @Test
    void importsATabSeparatedFileWithAnExplicitMapping() {
        String email = "tab-" + UUID.randomUUID() + "@import.example";
        String tsv = "E-Mail address\tJob\tUnmapped\n" + email + "\tDirector of Marketing\tx\n";
        var response = upload(
                "/api/v1/imports/prospects",
                utf8(tsv),
                Map.of("mapping", "{\"E-Mail address\":\"email\",\"Job\":\"jobTitle\"}"));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("created").asInt()).isEqualTo(1);
        assertThat(jdbc.sql("SELECT job_title FROM prospect WHERE email = ?")
                        .param(email)
                        .query(String.class)
                        .single())
                .isEqualTo("Director of Marketing");
    }

    @Test
    void refusesFilesItCannotReadAndStoresNothing() {
        String email = "latin-" + UUID.randomUUID() + "@import.example";
        var latin1 = upload(
                "/api/v1/imports/prospects",
                ("email,firstName\n" + email + ",Zoë\n").getBytes(StandardCharsets.ISO_8859_1),
                Map.of());
        assertThat(latin1.status()).isEqualTo(400);
        assertThat(latin1.contentType()).startsWith("application/problem+json");
        assertThat(latin1.json().get("errors").get(0).get("message").asString()).isEqualTo("file is not UTF-8");
        assertThat(jdbc.sql("SELECT count(*) FROM prospect WHERE email = ?")
                        .param(email)
                        .query(Long.class)
                        .single())
                .isZero();

        assertThat(upload("/api/v1/imports/prospects", utf8("name,company\nA,B\n"), Map.of())
                        .status())
                .isEqualTo(400);
        assertThat(upload("/api/v1/imports/prospects", utf8("email\n\"unclosed\n"), Map.of())
                        .status())
                .isEqualTo(400);
        assertThat(upload(
                                "/api/v1/imports/prospects",
                                utf8("email\na@b.example\n"),
                                Map.of("mapping", "{\"nope\":\"email\"}"))
                        .status())
                .isEqualTo(400);
        assertThat(upload("/api/v1/imports/prospects", utf8("email\na@b.example\n"), Map.of("campaignId", "999999999"))
                        .status())
                .isEqualTo(400);
    }

    @Test
    void historicalActivitiesKeepTheirOriginalTimestampsAndBadRowsAreReported() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String csv = "externalId,email,type,occurredAt,customName,url\n"
                + "hist-" + tag + "-1,old-" + tag
                + "@history.example,PAGE_VIEW,2023-04-05T10:15:30Z,,https://www.example.com/a\n"
                + "hist-" + tag + "-2,old-" + tag + "@history.example,CUSTOM,2023-04-06T08:00:00+02:00,Booth visit,\n"
                + "hist-" + tag + "-3,old-" + tag + "@history.example,TELEPATHY,yesterday,,\n";
        var response = upload("/api/v1/imports/activities", utf8(csv), Map.of());
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("accepted").asInt()).isEqualTo(2);
        assertThat(response.json().get("skipped").asInt()).isEqualTo(1);
        assertThat(response.json().get("errors").get(0).get("row").asInt()).isEqualTo(4);
        assertThat(response.json().get("errors").get(0).get("reason").asString())
                .contains("type")
                .contains("occurredAt");

        Map<String, Instant> occurred = new LinkedHashMap<>();
        jdbc.sql("SELECT external_id, occurred_at FROM activity WHERE external_id LIKE ? ORDER BY external_id")
                .param("hist-" + tag + "-%")
                .query((rs, n) ->
                        occurred.put(rs.getString(1), rs.getTimestamp(2).toInstant()))
                .list();
        assertThat(occurred)
                .containsExactly(
                        Map.entry("hist-" + tag + "-1", Instant.parse("2023-04-05T10:15:30Z")),
                        Map.entry("hist-" + tag + "-2", Instant.parse("2023-04-06T06:00:00Z")));
        assertThat(jdbc.sql("SELECT properties->>'url' FROM activity WHERE external_id = ?")
                        .param("hist-" + tag + "-1")
                        .query(String.class)
                        .single())
                .isEqualTo("https://www.example.com/a");

        var again = upload("/api/v1/imports/activities", utf8(csv), Map.of());
        assertThat(again.json().get("duplicates").asInt()).isEqualTo(2);
    }

    @Test
    void opportunityActivitiesImportedByAMarketingKeyAreRefusedRowByRow() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        TestApi marketing = api.keyOf(api.user("MARKETING", null).id());
        String csv = "externalId,email,type,occurredAt\n"
                + "sales-" + tag + "-1,deal-" + tag + "@history.example,PAGE_VIEW,2023-04-05T10:15:30Z\n"
                + "sales-" + tag + "-2,deal-" + tag + "@history.example,OPPORTUNITY_WON,2023-04-06T10:15:30Z\n";

        var response = upload(marketing, "/api/v1/imports/activities", utf8(csv), Map.of());
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("accepted").asInt()).isEqualTo(1);
        assertThat(response.json().get("errors").get(0).get("row").asInt()).isEqualTo(3);
        assertThat(response.json().get("errors").get(0).get("reason").asString())
                .contains("sales system");
        assertThat(jdbc.sql("SELECT count(*) FROM activity WHERE external_id = ?")
                        .param("sales-" + tag + "-2")
                        .query(Long.class)
                        .single())
                .isZero();

        assertThat(upload("/api/v1/imports/activities", utf8(csv), Map.of())
                        .json()
                        .get("accepted")
                        .asInt())
                .as("an admin key imports them")
                .isEqualTo(1);
    }
}

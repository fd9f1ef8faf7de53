package dev.kindling.capture.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import dev.kindling.support.UiSession;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

@IntegrationTest
class ImportPagesIT {

    static final String ADMIN = "admin@kindling.local";

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    TestApi api;
    UiSession ui;
    String run;

    @BeforeEach
    void setUp() {
        api = new TestApi(port);
        ui = UiSession.signedIn(port, ADMIN, TestApi.ADMIN_PASSWORD);
        ui.open("/imports");
        run = UUID.randomUUID().toString().substring(0, 8);
        assertThat(api.post(
                                "/api/v1/custom-fields",
                                "{\"name\":\"region_" + run + "\",\"label\":\"Region\",\"type\":\"TEXT\"}")
                        .status())
                .isEqualTo(201);
    }

    long upload(String kind, String csv) {
        String boundary = "----import" + run;
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\n" + kind + "\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"people.csv\"\r\n"
                + "Content-Type: text/csv\r\n\r\n" + csv + "\r\n--" + boundary + "--\r\n";
        var response = ui.postMultipart("/imports/upload", boundary, body.getBytes(StandardCharsets.UTF_8));
        assertThat(response.status()).as(response.body()).isEqualTo(302);
        Matcher id = Pattern.compile("/imports/(\\d+)$")
                .matcher(response.raw().headers().firstValue("Location").orElseThrow());
        assertThat(id.find()).isTrue();
        return Long.parseLong(id.group(1));
    }

    String csv(String... emails) {
        StringBuilder csv = new StringBuilder("E-mail,Vorname,Firma,Gebiet\n");
        for (String e : emails) {
            csv.append(e).append(",Hana,").append("<b>Acme</b>,Kanto\n");
        }
        return csv.toString();
    }

    String mapping() {
        return "map=email&map=firstName&map=company&map=region_" + run;
    }

    @Test
    void aDryRunSaysWhatWouldBeCreatedUpdatedAndSkippedAndWritesNothing() {
        String known = "known-" + run + "@import.example";
        assertThat(api.post("/api/v1/prospects", "{\"email\":\"" + known + "\"}")
                        .status())
                .isEqualTo(201);
        String fresh = "fresh-" + run + "@import.example";
        long id = upload("PROSPECTS", csv(known, fresh, "not-an-email"));
        String page = ui.open("/imports/" + id).body();
        assertThat(page).contains("E-mail").contains("Gebiet").contains("Kanto");

        var dry = ui.postForm("/imports/" + id + "/dry-run", mapping() + "&dedup=SKIP&campaignId=");

        assertThat(dry.status()).as(dry.body()).isEqualTo(200);
        assertThat(text(dry.body(), "dry-created")).isEqualTo("1");
        assertThat(text(dry.body(), "dry-skipped")).isEqualTo("2");
        assertThat(api.get("/api/v1/prospects?q=" + fresh).body()).doesNotContain(fresh);
        assertThat(dry.body()).doesNotContain("<b>Acme</b>");
    }

    @Test
    void anImportRunsInTheBackgroundWithItsMappingAndOffersPerRowResults() {
        String[] emails = new String[7];
        for (int i = 0; i < emails.length; i++) {
            emails[i] = "bg-" + i + "-" + run + "@import.example";
        }
        long id = upload("PROSPECTS", csv(emails) + "broken-row,x,y,z\n");

        var started = ui.postForm("/imports/" + id + "/start", mapping() + "&dedup=UPDATE&campaignId=");
        assertThat(started.status()).as(started.body()).isEqualTo(302);

        String progress = awaitDone(id);
        assertThat(text(progress, "created")).isEqualTo("7");
        assertThat(text(progress, "skipped")).isEqualTo("1");
        var prospect =
                api.get("/api/v1/prospects?q=" + emails[3]).json().get("items").get(0);
        assertThat(prospect.get("firstName").asString()).isEqualTo("Hana");
        assertThat(prospect.get("custom").get("region_" + run).asString()).isEqualTo("Kanto");
        String results = ui.get("/imports/" + id + "/results.csv").body();
        assertThat(results)
                .startsWith("row,status,email,reason")
                .contains("2,CREATED," + emails[0])
                .contains("9,SKIPPED");

        // the mapping is offered again for a file with the same columns
        long next = upload("PROSPECTS", csv("again-" + run + "@import.example"));
        assertThat(ui.open("/imports/" + next).body())
                .containsPattern("id=\"map-3\"[\\s\\S]*?<option value=\"region_" + run + "\" selected");
    }

    @Test
    void fillBlanksOnlyKeepsWhatIsKnown() {
        String email = "blanks-" + run + "@import.example";
        assertThat(api.post("/api/v1/prospects", "{\"email\":\"" + email + "\",\"company\":\"Known Co\"}")
                        .status())
                .isEqualTo(201);
        long id = upload("PROSPECTS", csv(email));

        ui.postForm("/imports/" + id + "/start", mapping() + "&dedup=FILL_BLANKS&campaignId=");
        awaitDone(id);

        var prospect =
                api.get("/api/v1/prospects?q=" + email).json().get("items").get(0);
        assertThat(prospect.get("company").asString()).isEqualTo("Known Co");
        assertThat(prospect.get("firstName").asString()).isEqualTo("Hana");
    }

    @Test
    void aJobWhoseWorkerStoppedIsTakenUpAgainFromTheRowsItHadDone() {
        String first = "resume-a-" + run + "@import.example";
        String second = "resume-b-" + run + "@import.example";
        long id = upload("PROSPECTS", csv(first, second));
        ui.postForm("/imports/" + id + "/dry-run", mapping() + "&dedup=UPDATE&campaignId=");
        // as a restart leaves it: running, one row done, its worker's claim expired
        jdbc.sql("""
                        UPDATE import_job SET status = 'RUNNING', done_rows = 1, created = 1,
                               claimed_until = :past, started_at = :past WHERE id = :id""")
                .param("past", java.sql.Timestamp.from(Instant.now().minusSeconds(3600)))
                .param("id", id)
                .update();

        String progress = awaitDone(id);

        assertThat(text(progress, "created")).isEqualTo("2");
        assertThat(api.get("/api/v1/prospects?q=" + second).body()).contains(second);
        assertThat(api.get("/api/v1/prospects?q=" + first).body()).doesNotContain(first);
    }

    @Test
    void aFileThatIsNotCsvIsRefusedNextToTheFileInput() {
        String boundary = "----bad" + run;
        byte[] latin1 = "email\nm\u00fcller@import.example\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.csv\"\r\n"
                        + "Content-Type: text/csv\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[head.length + latin1.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(latin1, 0, body, head.length, latin1.length);
        System.arraycopy(tail, 0, body, head.length + latin1.length, tail.length);

        var response = ui.postMultipart("/imports/upload", boundary, body);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body())
                .containsPattern("id=\"file-error\"[^>]*>file is not UTF-8|id=\"file-error\"[^>]*>[^<]*UTF-8");
    }

    String awaitDone(long id) {
        return await("import " + id + " finishes")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> ui.get("/imports/" + id + "/progress").body(),
                        body -> body.contains("id=\"results-csv\""));
    }

    static String text(String page, String id) {
        Matcher m = Pattern.compile("id=\"" + id + "\"[^>]*>([^<]*)<").matcher(page);
        assertThat(m.find()).as(id + " in " + page).isTrue();
        return m.group(1).strip();
    }
}

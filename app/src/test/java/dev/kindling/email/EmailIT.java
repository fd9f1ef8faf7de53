package dev.kindling.email;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.intake.IntakeProgress;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Email through the API with the local outbox (no SMTP): templates, sending, tracking, suppression, bounces. */
@IntegrationTest
class EmailIT {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MarketingEmails emails;

    TestApi api;
    TestApi anonymous;
    EmailFixtures fx;

    @BeforeEach
    void setUp() {
        api = new TestApi(port);
        anonymous = new TestApi(port, null);
        fx = new EmailFixtures(api);
    }

    Map<String, Object> outbox(long sendId, long prospectId) {
        return jdbc.sql(
                        "SELECT html_body, text_body, subject, CAST(headers AS text) AS headers, kind FROM mail_outbox WHERE dedupe_key = ?")
                .param("email:send:" + sendId + ":" + prospectId)
                .query()
                .singleRow();
    }

    @Test
    void aTemplateWithoutAnUnsubscribeLinkIsRejectedOnSaveWithAClearMessage() {
        ObjectNode body = fx.templateBody("<p>Hi {{first_name|there}}</p>", "Hi {{first_name|there}}");
        TestApi.Response r = api.post("/api/v1/email/templates", body.toString());
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.contentType()).contains("problem+json");
        assertThat(r.body()).contains("\"html\"").contains("\"text\"").contains("has no unsubscribe link");
        assertThat(jdbc.sql("SELECT count(*) FROM email_template WHERE name = ?")
                        .param(body.get("name").asString())
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void aMergeFieldThatMayBeEmptyWithoutAFallbackIsRejectedOnSave() {
        ObjectNode body = fx.templateBody(
                "<p>Hi {{first_name}} {{block:story}} <a href=\"{{unsubscribe_url}}\">u</a></p>",
                "Hi {{first_name|there}} {{unsubscribe_url}}");
        TestApi.Response r = api.post("/api/v1/email/templates", body.toString());
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("{{first_name}} may be empty for some prospects: give a fallback");
    }

    @Test
    void unknownMergeFieldsUndefinedBlocksAndMalformedTagsAreRejectedTogether() {
        ObjectNode body = fx.templateBody(
                "<p>{{shoe_size|9}} {{block:nope}} {{first_name|x</p> {{unsubscribe_url}}", "{{unsubscribe_url}}");
        TestApi.Response r = api.post("/api/v1/email/templates", body.toString());
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body())
                .contains(
                        "{{shoe_size}} is not a merge field",
                        "{{block:nope}} names no content block",
                        "unclosed or malformed merge field");
    }

    @Test
    void thePreviewEscapesProspectDataInHtmlKeepsItRawInTextAndPicksTheBlockByCondition() {
        long template = fx.template();
        long evil = fx.prospect("<script>alert(1)</script>", "Healthcare");
        long plain = fx.prospect("Ann", "Retail");
        JsonNode preview = api.get("/api/v1/email/templates/" + template + "/preview?prospectId=" + evil)
                .json();
        assertThat(preview.get("html").asString())
                .contains("Hi &lt;script&gt;alert(1)&lt;/script&gt; from your team")
                .doesNotContain("<script>")
                .contains("How a hospital group cut costs");
        assertThat(preview.get("text").asString()).contains("Hi <script>alert(1)</script>,");
        assertThat(preview.get("subject").asString()).isEqualTo("News for <script>alert(1)</script>");
        JsonNode other = api.get("/api/v1/email/templates/" + template + "/preview?prospectId=" + plain)
                .json();
        assertThat(other.get("html").asString())
                .contains("Hi Ann from your team")
                .contains("How teams like yours grow");
    }

    @Test
    void aSendMailsTheListWithUnsubscribeHeadersAPixelAndTrackedLinksAndRecordsEmailSent() {
        long template = fx.template();
        long p = fx.prospect("Bea", null);
        JsonNode report = fx.send(template, fx.list(p));
        long sendId = report.get("send").get("id").asLong();
        assertThat(report.get("total").get("sent").asLong()).isEqualTo(1);
        Map<String, Object> mail = outbox(sendId, p);
        String html = (String) mail.get("html_body");
        assertThat(mail.get("kind")).isEqualTo("MARKETING");
        assertThat((String) mail.get("headers"))
                .contains("\"List-Unsubscribe\"", "/e/u/")
                .contains("\"List-Unsubscribe-Post\": \"List-Unsubscribe=One-Click\"");
        assertThat(html).contains("/e/o/").contains("/e/c/").doesNotContain("https://example.com/pricing");
        assertThat((String) mail.get("text_body"))
                .contains("Pricing: http")
                .contains("/e/c/")
                .contains("/e/u/");
        IntakeProgress.awaitDrained(api);
        assertThat(jdbc.sql("SELECT count(*) FROM activity WHERE type = 'EMAIL_SENT' AND prospect_id = ?")
                        .param(p)
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
    }

    @Test
    void theOpenPixelAndATrackedLinkRecordOpenAndClickOnceAndTheScoreRises() {
        long template = fx.template();
        long p = fx.prospect("Cy", null);
        long sendId = fx.send(template, fx.list(p)).get("send").get("id").asLong();
        String html = (String) outbox(sendId, p).get("html_body");
        IntakeProgress.awaitDrained(api);
        int before = api.get("/api/v1/prospects/" + p).json().get("score").asInt();

        TestApi.Response pixel = anonymous.get(EmailFixtures.path(html, "o"));
        assertThat(pixel.status()).isEqualTo(200);
        assertThat(pixel.contentType()).isEqualTo("image/gif");
        anonymous.get(EmailFixtures.path(html, "o"));
        TestApi.Response click = anonymous.get(EmailFixtures.path(html, "c"));
        assertThat(click.status()).isEqualTo(302);
        assertThat(click.raw().headers().firstValue("Location")).contains("https://example.com/pricing?a=1&b=2");
        anonymous.get(EmailFixtures.path(html, "c"));
        IntakeProgress.awaitDrained(api);

        assertThat(jdbc.sql(
                                "SELECT type, count(*) FROM activity WHERE prospect_id = ? AND type IN ('EMAIL_OPEN','EMAIL_CLICK') GROUP BY type")
                        .param(p)
                        .query()
                        .listOfRows())
                .hasSize(2)
                .allSatisfy(row -> assertThat(row.get("count")).isEqualTo(1L));
        assertThat(api.get("/api/v1/prospects/" + p).json().get("score").asInt())
                .isGreaterThan(before);
        JsonNode report = api.get("/api/v1/email/sends/" + sendId).json();
        assertThat(report.get("total").get("opened").asLong()).isEqualTo(1);
        assertThat(report.get("total").get("clicked").asLong()).isEqualTo(1);
    }

    @Test
    void aTamperedTrackingTokenIs404NeverARedirect() {
        long p = fx.prospect("Di", null);
        long sendId = fx.send(fx.template(), fx.list(p)).get("send").get("id").asLong();
        String click = EmailFixtures.path((String) outbox(sendId, p).get("html_body"), "c");
        String tampered = click.substring(0, click.length() - 2) + (click.endsWith("A") ? "BB" : "AA");
        assertThat(anonymous.get(tampered).status()).isEqualTo(404);
        // a valid open token is no click token
        String open = EmailFixtures.path((String) outbox(sendId, p).get("html_body"), "o");
        assertThat(anonymous.get(open.replace("/e/o/", "/e/c/")).status()).isEqualTo(404);
        assertThat(anonymous.get(open.replace("/e/o/", "/e/u/")).status()).isEqualTo(404);
    }

    @Test
    void theOneClickUnsubscribePostOfRfc8058OptsTheProspectOutAndLaterSendsSuppressThem() {
        long template = fx.template();
        long p = fx.prospect("Ed", null);
        long list = fx.list(p);
        long sendId = fx.send(template, list).get("send").get("id").asLong();
        String headers = (String) outbox(sendId, p).get("headers");
        String unsubscribe = EmailFixtures.path(headers, "u");
        TestApi.Response post = anonymous.send(anonymous
                .request(unsubscribe)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("List-Unsubscribe=One-Click"))
                .build());
        assertThat(post.status()).isEqualTo(200);
        assertThat(api.get("/api/v1/prospects/" + p).json().get("optedOut").asBoolean())
                .isTrue();
        IntakeProgress.awaitDrained(api);
        assertThat(jdbc.sql("SELECT count(*) FROM activity WHERE type = 'UNSUBSCRIBE' AND prospect_id = ?")
                        .param(p)
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
        assertThat(api.get("/api/v1/email/sends/" + sendId)
                        .json()
                        .get("total")
                        .get("unsubscribed")
                        .asLong())
                .isEqualTo(1);

        JsonNode again = fx.send(template, list);
        assertThat(again.get("total").get("sent").asLong()).isZero();
        assertThat(again.get("suppressedByReason").get("OPTED_OUT").asLong()).isEqualTo(1);
    }

    @Test
    void theUnsubscribeLandingPageOptsOutToo() {
        long p = fx.prospect("Flo", null);
        long sendId = fx.send(fx.template(), fx.list(p)).get("send").get("id").asLong();
        TestApi.Response page =
                anonymous.get(EmailFixtures.path((String) outbox(sendId, p).get("text_body"), "u"));
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("You are unsubscribed");
        assertThat(api.get("/api/v1/prospects/" + p).json().get("optedOut").asBoolean())
                .isTrue();
    }

    @Test
    void suppressedProspectsAreRecordedWithTheirReasonAndGetNoMail() {
        long template = fx.template();
        long ok = fx.prospect("Gus", null);
        long optedOut = fx.prospect("Hal", null);
        long bounced = fx.prospect("Ida", null);
        long dne = fx.prospect("Jo", null);
        long suppressed = fx.prospect("Kim", null);
        jdbc.sql("UPDATE prospect SET opted_out = true WHERE id = ?")
                .param(optedOut)
                .update();
        jdbc.sql("UPDATE prospect SET hard_bounced = true WHERE id = ?")
                .param(bounced)
                .update();
        jdbc.sql("UPDATE prospect SET do_not_email = true WHERE id = ?")
                .param(dne)
                .update();
        long sendList = fx.list(ok, optedOut, bounced, dne, suppressed);
        long competitors = fx.list(suppressed);
        TestApi.Response r = api.post(
                "/api/v1/email/sends",
                "{\"name\":\"S\",\"templateId\":" + template + ",\"listId\":" + sendList + ",\"suppressionListIds\":["
                        + competitors + "]}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        JsonNode report = r.json();
        assertThat(report.get("total").get("sent").asLong()).isEqualTo(1);
        assertThat(report.get("total").get("suppressed").asLong()).isEqualTo(4);
        JsonNode reasons = report.get("suppressedByReason");
        assertThat(List.of(
                        reasons.get("OPTED_OUT").asLong(),
                        reasons.get("HARD_BOUNCED").asLong(),
                        reasons.get("DO_NOT_EMAIL").asLong(),
                        reasons.get("SUPPRESSION_LIST").asLong(),
                        reasons.get("FREQUENCY_CAP").asLong()))
                .containsExactly(1L, 1L, 1L, 1L, 0L);
        long sendId = report.get("send").get("id").asLong();
        assertThat(jdbc.sql("SELECT count(*) FROM mail_outbox WHERE dedupe_key LIKE ?")
                        .param("email:send:" + sendId + ":%")
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
    }

    @Test
    void aGlobalSuppressionListSuppressesEverySendAndCannotBeDeletedWhileInUse() {
        long p = fx.prospect("Lou", null);
        long global = fx.list(p);
        List<Long> current = api.get("/api/v1/email/suppression-lists")
                .json()
                .valueStream()
                .map(l -> l.get("id").asLong())
                .toList();
        StringBuilder ids = new StringBuilder().append(global);
        current.forEach(id -> ids.append(',').append(id));
        assertThat(api.send(api.request("/api/v1/email/suppression-lists")
                                .header("Content-Type", "application/json")
                                .PUT(HttpRequest.BodyPublishers.ofString("{\"listIds\":[" + ids + "]}"))
                                .build())
                        .status())
                .isEqualTo(200);
        try {
            JsonNode report = fx.send(fx.template(), fx.list(p));
            assertThat(report.get("suppressedByReason").get("SUPPRESSION_LIST").asLong())
                    .isEqualTo(1);
            assertThat(api.send(api.request("/api/v1/lists/" + global).DELETE().build())
                            .status())
                    .isEqualTo(409);
        } finally {
            StringBuilder rest = new StringBuilder();
            current.forEach(id -> rest.append(rest.isEmpty() ? "" : ",").append(id));
            api.send(api.request("/api/v1/email/suppression-lists")
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"listIds\":[" + rest + "]}"))
                    .build());
        }
    }

    @Test
    void theFrequencyCapSuppressesTheEmailBeyondTheLimitInSevenDays() {
        long template = fx.template();
        long p = fx.prospect("Max", null);
        long list = fx.list(p);
        for (int i = 0; i < emails.frequencyCap(); i++) {
            assertThat(fx.send(template, list).get("total").get("sent").asLong())
                    .isEqualTo(1);
        }
        JsonNode over = fx.send(template, list);
        assertThat(over.get("total").get("sent").asLong()).isZero();
        assertThat(over.get("suppressedByReason").get("FREQUENCY_CAP").asLong()).isEqualTo(1);
    }

    @Test
    void sendingWithTheSameSendKeyTwiceMailsOnce() {
        long template = fx.template();
        long p = fx.prospect("Ned", null);
        String key = "test:" + fx.run + ":" + p;
        MarketingEmails.Outcome first = emails.sendOne(template, p, key);
        MarketingEmails.Outcome second = emails.sendOne(template, p, key);
        assertThat(first.status()).isEqualTo("SENT");
        assertThat(second.status()).isEqualTo("DUPLICATE");
        assertThat(second.messageId()).isEqualTo(first.messageId());
        assertThat(jdbc.sql("SELECT count(*) FROM mail_outbox WHERE dedupe_key = ?")
                        .param("email:" + key)
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
    }

    @Test
    void aHardBounceMakesTheProspectUndeliverableAndFiveSoftBouncesDoToo() {
        long template = fx.template();
        long hard = fx.prospect("Oli", null);
        long soft = fx.prospect("Pia", null);
        long sendId =
                fx.send(template, fx.list(hard, soft)).get("send").get("id").asLong();
        TestApi.Response r = api.post(
                "/api/v1/email/bounces",
                "{\"email\":\"" + fx.email(hard) + "\",\"type\":\"HARD\",\"reason\":\"550 no such user\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(api.get("/api/v1/prospects/" + hard)
                        .json()
                        .get("hardBounced")
                        .asBoolean())
                .isTrue();
        for (int i = 1; i <= 5; i++) {
            api.post(
                    "/api/v1/email/bounces",
                    "{\"email\":\"" + fx.email(soft) + "\",\"type\":\"SOFT\",\"reason\":\"mailbox full\"}");
            assertThat(api.get("/api/v1/prospects/" + soft)
                            .json()
                            .get("hardBounced")
                            .asBoolean())
                    .as("after %d soft bounces", i)
                    .isEqualTo(i == 5);
        }
        assertThat(api.get("/api/v1/email/sends/" + sendId)
                        .json()
                        .get("total")
                        .get("bounced")
                        .asLong())
                .isEqualTo(2);
        IntakeProgress.awaitDrained(api);
        assertThat(jdbc.sql("SELECT count(*) FROM activity WHERE type = 'EMAIL_BOUNCE_SOFT' AND prospect_id = ?")
                        .param(soft)
                        .query(Long.class)
                        .single())
                .isEqualTo(5);
    }

    @Test
    void aBounceMustNameAKnownAddressAndAType() {
        TestApi.Response r = api.post("/api/v1/email/bounces", "{\"email\":\"nobody\",\"type\":\"MAYBE\"}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("\"email\"").contains("must be HARD or SOFT");
        assertThat(api.post(
                                "/api/v1/email/bounces",
                                "{\"email\":\"nobody-" + fx.run + "@x.example\",\"type\":\"HARD\"}")
                        .status())
                .isEqualTo(400);
    }
}

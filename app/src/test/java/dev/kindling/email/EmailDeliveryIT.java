package dev.kindling.email;

import static dev.kindling.support.WebhookReceiver.sign;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMailUtil;
import dev.kindling.intake.IntakeProgress;
import dev.kindling.support.Browser;
import dev.kindling.support.MovingClockConfiguration;
import dev.kindling.support.MovingClockTest;
import dev.kindling.support.MutableClock;
import dev.kindling.support.TestApi;
import dev.kindling.support.TestSmtp;
import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Marketing email over real SMTP (GreenMail), followed back through the public tracking endpoints into activities and
 * scores, and subject A/B tests finished by moving the clock, in the shared moving-clock context
 * ({@link MovingClockTest}: no public URL from the environment, its unsubscribe mailbox and bounce webhook secret). The
 * A/B sweep runs only when the test calls it.
 */
@MovingClockTest(start = "2035-05-01T09:00:00Z")
class EmailDeliveryIT {

    static final String WEBHOOK_SECRET = MovingClockConfiguration.BOUNCE_WEBHOOK_SECRET;
    static final String PUBLIC_URL = "https://mail.kindling.example";

    @RegisterExtension
    static final TestSmtp smtp = TestSmtp.movingClock();

    @RegisterExtension
    static final Browser browser = new Browser();

    @LocalServerPort
    int port;

    @Autowired
    MutableClock clock;

    @Autowired
    AbWinnerJob abWinners;

    @Autowired
    JdbcClient jdbc;

    TestApi api;
    TestApi anonymous;
    EmailFixtures fx;

    @BeforeEach
    void setUp() {
        api = new TestApi(port);
        anonymous = new TestApi(port, null);
        fx = new EmailFixtures(api);
        assertThat(api.put("/api/v1/settings/public-url", "{\"url\":\"" + PUBLIC_URL + "/\"}")
                        .status())
                .isEqualTo(200);
    }

    @Test
    void withoutAPublicUrlAnAdminIsOfferedTheirOwnBrowserAddressOnSignInAndOneClickSavesIt() {
        jdbc.sql("DELETE FROM app_setting WHERE key = 'public-url'").update();
        browser.at(port).signedIn("admin@kindling.local", TestApi.ADMIN_PASSWORD);
        assertThat(browser.text("#public-url-banner"))
                .contains("no public URL", "marketing email is held", "http://localhost:" + port);
        browser.follow("#use-public-url");
        assertThat(browser.text("#saved")).startsWith("Saved");
        assertThat(api.get("/api/v1/settings/public-url").json().get("url").asString())
                .isEqualTo("http://localhost:" + port);
        browser.open("/outbox");
        assertThat(browser.driver().findElements(org.openqa.selenium.By.id("public-url-banner")))
                .isEmpty();
        TestApi.Response hostile = api.put("/api/v1/settings/public-url", "{\"url\":\"javascript:alert(1)\"}");
        assertThat(hostile.status()).isEqualTo(400);
        assertThat(hostile.json().get("errors").findValuesAsString("field")).containsExactly("url");
    }

    @Test
    void withoutAPublicUrlMarketingMailIsHeldWithTheReasonAndWithTheSettingItsLinksUseIt() throws Exception {
        jdbc.sql("DELETE FROM app_setting WHERE key = 'public-url'").update();
        assertThat(api.get("/api/v1/settings/public-url").json().get("source").asString())
                .isEqualTo("NONE");
        long held = fx.prospect("Hal", null);
        JsonNode report = fx.send(fx.template(), fx.list(held));
        assertThat(report.get("total").get("sent").asLong()).isZero();
        assertThat(report.get("suppressedByReason").get("NO_PUBLIC_URL").asLong())
                .isEqualTo(1);
        Map<String, Object> mail = jdbc.sql("SELECT status, last_error, html_body, text_body, headers::text AS headers "
                        + "FROM mail_outbox WHERE to_address = ?")
                .param(fx.email(held))
                .query()
                .singleRow();
        assertThat(mail.get("status")).isEqualTo("HELD");
        assertThat((String) mail.get("last_error")).contains("no public URL", "Settings → Public URL");
        assertThat(mail.get("html_body") + " " + mail.get("text_body") + mail.get("headers"))
                .doesNotContain("://localhost")
                .doesNotContain("127.0.0.1");

        TestApi.Response saved = api.put("/api/v1/settings/public-url", "{\"url\":\"" + PUBLIC_URL + "\"}");
        assertThat(saved.json().get("source").asString()).isEqualTo("SETTING");
        long sent = fx.prospect("Sam", null);
        fx.send(fx.template(), fx.list(sent));
        MimeMessage message = smtp.awaitMailTo(fx.email(sent));
        String raw = GreenMailUtil.getBody(message).replace("=\r\n", "").replace("=3D", "=");
        assertThat(jakarta.mail.internet.MimeUtility.unfold(message.getHeader("List-Unsubscribe")[0]))
                .startsWith("<" + PUBLIC_URL + "/e/u/");
        assertThat(raw).contains(PUBLIC_URL + "/e/o/").contains(PUBLIC_URL + "/e/c/");
        assertThat(smtp.mailsTo(fx.email(held))).as("held mail stays unsent").isEmpty();
        assertThat(jdbc.sql("SELECT status FROM mail_outbox WHERE to_address = ?")
                        .param(fx.email(held))
                        .query(String.class)
                        .single())
                .isEqualTo("HELD");
    }

    @Test
    void aMarketingEmailArrivesOverSmtpWithOneClickUnsubscribeHeadersAndItsTrackingLeadsBackIntoScoring()
            throws Exception {
        long p = fx.prospect("Quinn", "Healthcare");
        String to = fx.email(p);
        fx.send(fx.template(), fx.list(p));
        MimeMessage mail = smtp.awaitMailTo(to);

        assertThat(mail.getSubject()).isEqualTo("News for Quinn");
        String listUnsubscribe = jakarta.mail.internet.MimeUtility.unfold(mail.getHeader("List-Unsubscribe")[0]);
        assertThat(listUnsubscribe)
                .matches("<" + PUBLIC_URL
                        + "/e/u/[^>]+>, <mailto:unsubscribe@kindling\\.example\\?subject=unsubscribe-[^>]+>");
        assertThat(mail.getHeader("List-Unsubscribe-Post")[0]).isEqualTo("List-Unsubscribe=One-Click");
        String body = GreenMailUtil.getBody(mail).replace("=\r\n", "").replace("=3D", "=");
        assertThat(body).contains("How a hospital group cut costs");

        IntakeProgress.awaitDrained(api);
        int before = api.get("/api/v1/prospects/" + p).json().get("score").asInt();
        assertThat(anonymous.get(EmailFixtures.path(body, "o")).status()).isEqualTo(200);
        TestApi.Response click = anonymous.get(EmailFixtures.path(body, "c"));
        assertThat(click.status()).isEqualTo(302);
        IntakeProgress.awaitDrained(api);

        List<String> types = jdbc.sql("SELECT type FROM activity WHERE prospect_id = ? ORDER BY id")
                .param(p)
                .query(String.class)
                .list();
        assertThat(types).contains("EMAIL_SENT", "EMAIL_OPEN", "EMAIL_CLICK");
        assertThat(api.get("/api/v1/prospects/" + p).json().get("score").asInt())
                .isGreaterThan(before);

        String unsubscribe = listUnsubscribe.substring(listUnsubscribe.indexOf("/e/u/"), listUnsubscribe.indexOf('>'));
        TestApi.Response oneClick = anonymous.send(anonymous
                .request(unsubscribe)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("List-Unsubscribe=One-Click"))
                .build());
        assertThat(oneClick.status()).isEqualTo(200);
        assertThat(api.get("/api/v1/prospects/" + p).json().get("optedOut").asBoolean())
                .isTrue();
    }

    @Test
    void anAbTestSendsTheTestShareNowAndTheWinnerToTheRestOnceTheClockPassesTheWaitTime() {
        long template = fx.template();
        long[] prospects = new long[10];
        for (int i = 0; i < prospects.length; i++) {
            prospects[i] = fx.prospect("Ab", null);
        }
        long list = fx.list(prospects);
        TestApi.Response created = api.post("/api/v1/email/sends", """
                {"name":"AB %s","templateId":%d,"listId":%d,
                 "abTest":{"subjects":["Subject A {{first_name|friend}}","Subject B"],"testPercent":40,
                           "metric":"OPEN_RATE","waitHours":4}}""".formatted(fx.run, template, list));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode report = created.json();
        long sendId = report.get("send").get("id").asLong();
        assertThat(report.get("send").get("status").asString()).isEqualTo("TESTING");
        assertThat(report.get("total").get("sent").asLong()).isEqualTo(4);
        assertThat(report.get("variants")
                        .valueStream()
                        .map(v -> v.get("sent").asLong())
                        .toList())
                .containsExactly(2L, 2L);

        // one B recipient opens: B leads on open rate
        String bMessage = jdbc.sql("""
                        SELECT o.html_body FROM email_message e JOIN mail_outbox o ON o.dedupe_key = 'email:' || e.send_key
                         WHERE e.send_id = ? AND e.variant = 'B' ORDER BY e.id LIMIT 1""").param(sendId).query(String.class).single();
        assertThat(anonymous.get(EmailFixtures.path(bMessage, "o")).status()).isEqualTo(200);

        clock.advance(Duration.ofHours(3));
        assertThat(abWinners.runDue()).isZero();
        assertThat(api.get("/api/v1/email/sends/" + sendId)
                        .json()
                        .get("send")
                        .get("status")
                        .asString())
                .isEqualTo("TESTING");

        clock.advance(Duration.ofHours(1));
        assertThat(abWinners.runDue()).isEqualTo(1);
        JsonNode done = api.get("/api/v1/email/sends/" + sendId).json();
        assertThat(done.get("send").get("status").asString()).isEqualTo("SENT");
        assertThat(done.get("send").get("winnerVariant").asString()).isEqualTo("B");
        assertThat(done.get("total").get("sent").asLong()).isEqualTo(10);
        assertThat(done.get("variants")
                        .valueStream()
                        .map(v -> v.get("sent").asLong())
                        .toList())
                .containsExactly(2L, 8L);
        assertThat(jdbc.sql("SELECT count(*) FROM mail_outbox WHERE dedupe_key LIKE ? AND subject = 'Subject B'")
                        .param("email:send:" + sendId + ":%")
                        .query(Long.class)
                        .single())
                .isEqualTo(8);
        assertThat(abWinners.runDue()).isZero();
    }

    @Test
    void aSignedBounceWebhookMarksTheProspectUndeliverableAndABadSignatureChangesNothing() throws Exception {
        long p = fx.prospect("Web", null);
        String body = "{\"email\":\"" + fx.email(p) + "\",\"type\":\"HARD\",\"reason\":\"550 unknown user\"}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String now = Long.toString(clock.instant().getEpochSecond());
        String stale =
                Long.toString(clock.instant().minus(Duration.ofMinutes(6)).getEpochSecond());
        String other = "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]);
        for (String[] bad : new String[][] {
            {"msg_1", now, sign(other, "msg_1", now, bytes)},
            {"msg_2", stale, sign(WEBHOOK_SECRET, "msg_2", stale, bytes)},
            {"msg_3", now, sign(WEBHOOK_SECRET, "msg_other", now, bytes)}
        }) {
            TestApi.Response forged = anonymous.send(anonymous
                    .request("/e/bounces")
                    .header("Content-Type", "application/json")
                    .header("webhook-id", bad[0])
                    .header("webhook-timestamp", bad[1])
                    .header("webhook-signature", bad[2])
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build());
            assertThat(forged.status()).as(bad[0]).isEqualTo(401);
            assertThat(forged.raw().headers().firstValue("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        }
        assertThat(api.get("/api/v1/prospects/" + p).json().get("hardBounced").asBoolean())
                .isFalse();

        TestApi.Response signed = anonymous.send(anonymous
                .request("/e/bounces")
                .header("Content-Type", "application/json")
                .header("webhook-id", "msg_4")
                .header("webhook-timestamp", now)
                .header("webhook-signature", "v1,bm90LWl0 " + sign(WEBHOOK_SECRET, "msg_4", now, bytes))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
        assertThat(signed.status()).as(signed.body()).isEqualTo(202);
        assertThat(api.get("/api/v1/prospects/" + p).json().get("hardBounced").asBoolean())
                .isTrue();
    }
}

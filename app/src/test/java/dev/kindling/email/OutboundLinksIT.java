package dev.kindling.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kindling.capture.CaptureRateLimits;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.node.ObjectNode;

/**
 * What an anonymous form post can put into the marketing email its completion action sends (through a nurture program):
 * neither its Host header nor a {@code javascript:} URL in a field. Shared context, whose public URL is
 * {@link TestApi#PUBLIC_URL}; the outbox is local.
 */
@IntegrationTest
class OutboundLinksIT {

    static final String FORGED_HOST = "attacker.example";

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    CaptureRateLimits rateLimits;

    TestApi api;
    String run;

    @BeforeEach
    void setUp() {
        api = new TestApi(port);
        rateLimits.reset();
        run = UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aFormPostWithAForgedHostSendsMarketingMailWhoseLinksPixelAndUnsubscribeUseOnlyThePublicUrl() throws Exception {
        Map<String, Object> mail = submitAndAwaitMail("Acme");
        String everything = mail.get("html_body") + "\n" + mail.get("text_body") + "\n" + mail.get("headers");
        assertThat(everything).doesNotContain(FORGED_HOST).doesNotContain("localhost");
        assertThat((String) mail.get("html_body"))
                .contains(TestApi.PUBLIC_URL + "/e/o/")
                .contains(TestApi.PUBLIC_URL + "/e/c/")
                .contains(TestApi.PUBLIC_URL + "/e/u/");
        assertThat((String) mail.get("headers")).contains("<" + TestApi.PUBLIC_URL + "/e/u/");
    }

    @Test
    void aJavascriptUrlSetThroughAFormNeverReachesAnHrefOfTheSentMail() throws Exception {
        Map<String, Object> mail = submitAndAwaitMail("javascript:alert(document.cookie)");
        String html = (String) mail.get("html_body");
        Element link = Jsoup.parse(html).getElementById("company-link");
        assertThat(link).isNotNull();
        assertThat(link.attr("href")).isEmpty();
        assertThat(html.toLowerCase()).doesNotContain("href=\"javascript");
        assertThat(Jsoup.parse(html).select("[href], [src]"))
                .allSatisfy(e -> assertThat(e.attr("href") + e.attr("src")).doesNotContainIgnoringCase("javascript"));
    }

    /** A form whose completion action enrolls in a program that mails a template linking to the company field. */
    private Map<String, Object> submitAndAwaitMail(String company) throws IOException {
        ObjectNode template = EmailFixtures.JSON.createObjectNode();
        template.put("name", "Outbound " + run);
        template.put("subject", "Hello");
        template.put(
                "html",
                "<p><a id=\"company-link\" href=\"{{company|https://example.com}}\">Your site</a> "
                        + "<a href=\"https://example.com/pricing\">Pricing</a> <a href=\"{{unsubscribe_url}}\">Unsubscribe</a></p>");
        template.put("text", "Pricing: https://example.com/pricing\nUnsubscribe: {{unsubscribe_url}}\n");
        template.putArray("blocks");
        TestApi.Response t = api.post("/api/v1/email/templates", template.toString());
        assertThat(t.status()).as(t.body()).isEqualTo(201);
        TestApi.Response program = api.post(
                "/api/v1/programs", """
                {"name":"Outbound %s","start":"mail","recipientListIds":[],"steps":[
                  {"id":"mail","type":"ACTION","action":{"type":"sendEmail","templateId":"%d"},"next":"end"},
                  {"id":"end","type":"END"}]}""".formatted(run, t.json().get("id").asLong()));
        assertThat(program.status()).as(program.body()).isEqualTo(201);
        long programId = program.json().get("id").asLong();
        assertThat(api.post("/api/v1/programs/" + programId + "/start", "").status())
                .isEqualTo(200);
        String key = "outbound-" + run;
        TestApi.Response form = api.post("/api/v1/forms", """
                {"key":"%s","name":"Outbound %s","fieldMapping":{"email":"email","org":"company"},
                 "successUrl":"https://www.example.com/thanks",
                 "completionActions":[{"type":"addToProgram","programId":%d}]}""".formatted(key, run, programId));
        assertThat(form.status()).as(form.body()).isEqualTo(201);

        String email = "lead-" + run + "@outbound.example";
        int status = postWithHost(
                "/f/" + key,
                FORGED_HOST,
                "email=" + URLEncoder.encode(email, StandardCharsets.UTF_8) + "&org="
                        + URLEncoder.encode(company, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(303);
        await("the program's mail to " + email)
                .atMost(Duration.ofSeconds(30))
                .until(() -> jdbc.sql("SELECT count(*) FROM mail_outbox WHERE to_address = ?")
                                .param(email)
                                .query(Long.class)
                                .single()
                        == 1);
        return jdbc.sql("SELECT status, html_body, text_body, headers::text AS headers FROM mail_outbox "
                        + "WHERE to_address = ?")
                .param(email)
                .query()
                .singleRow();
    }

    /** A form post over a plain socket: the JDK's HTTP client will not send a Host of the caller's choosing. */
    private int postWithHost(String path, String host, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\n"
                            + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + bytes.length
                            + "\r\n"
                            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 Safari/537.36\r\n"
                            + "Connection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            InputStream in = socket.getInputStream();
            String statusLine = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            return Integer.parseInt(statusLine.substring(9, 12));
        }
    }
}

package dev.kindling.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.capture.CaptureRateLimits;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The malformed requests users and an attacker met, each answered with a 4xx problem document and nothing stored. */
@IntegrationTest
class MalformedRequestIT {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    CaptureRateLimits rateLimits;

    TestApi api;

    @BeforeEach
    void setUp() {
        api = new TestApi(port);
        rateLimits.reset();
    }

    @Test
    void theWeeklyReportWithABadOrReversedRangeIs400ProblemJsonNamingTheField() {
        var bad = api.get("/api/v1/reports/weekly?from=next-week&to=2026-01-31");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.contentType()).startsWith("application/problem+json");
        assertThat(bad.json().get("errors").toString()).contains("\"field\":\"from\"");

        var reversed = api.get("/api/v1/reports/weekly?from=2026-03-01&to=2026-01-31");
        assertThat(reversed.status()).isEqualTo(400);
        assertThat(reversed.contentType()).startsWith("application/problem+json");
        assertThat(reversed.json().get("errors").toString()).contains("\"field\":\"to\"");
    }

    @Test
    void aCursorWithBadPercentEncodingIs400ProblemJson() {
        String response = raw("GET /api/v1/prospects?cursor=%%%zz HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + TestApi.ADMIN_KEY + "\r\nConnection: close\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 400").containsIgnoringCase("content-type: application/problem+json");
    }

    @Test
    void controlCharactersInTheRequestLineAre400ProblemJsonOnTheApi() {
        String response =
                raw("GET /api/v1/prospects?a\u0001b=1 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 400").containsIgnoringCase("content-type: application/problem+json");
    }

    @Test
    void theSignInPageWithABadQueryStringOrABadlyEncodedSignInIs400NotA500() {
        String page = raw("GET /login?%zz=1 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertThat(page).startsWith("HTTP/1.1 400").containsIgnoringCase("content-type: text/html");
        String body = "username=admin%zz&password=%ff%fe";
        String signIn = raw("POST /login HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length() + "\r\n\r\n"
                + body);
        assertThat(signIn).startsWith("HTTP/1.1 400").containsIgnoringCase("content-type: text/html");
    }

    @Test
    void aFormPostedAsJsonIs415ProblemJson() {
        String key = form();
        var response = anonymousPost("/f/" + key, "application/json", "{\"email\":\"json@form.example\"}");
        assertThat(response.status()).isEqualTo(415);
        assertThat(response.contentType()).startsWith("application/problem+json");
    }

    @Test
    void aMultipartFormPostWithoutABoundaryIs400ProblemJson() {
        String key = form();
        var response = anonymousPost("/f/" + key, "multipart/form-data", "email=x");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
    }

    @Test
    void aChunkedMultipartFormPostWithALargeFileIsRefusedAndStoresNothing() {
        String key = form();
        String email = "chunked-" + UUID.randomUUID() + "@form.example";
        String boundary = "sweep" + UUID.randomUUID().toString().replace("-", "");
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\n" + email
                        + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"first\"\r\n\r\nBig\r\n--"
                        + boundary
                        + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\n"
                        + "Content-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] file = new byte[15 * 1024 * 1024];
        Arrays.fill(file, (byte) 'a');
        // a stream of unknown length is sent chunked, without Content-Length
        var response = api.send(new TestApi(port, null)
                .request("/f/" + key)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new SequenceInputStream(
                        new SequenceInputStream(new ByteArrayInputStream(head), new ByteArrayInputStream(file)),
                        new ByteArrayInputStream(tail))))
                .build());
        assertThat(response.status()).isEqualTo(411);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(jdbc.sql("SELECT count(*) FROM prospect WHERE email = ?")
                        .param(email)
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void aChunkedFormPostOfNormalSizeIsAlsoAskedForItsLengthButADeclaredOneIsAccepted() {
        String key = form();
        String email = "declared-" + UUID.randomUUID() + "@form.example";
        var chunked = api.send(new TestApi(port, null)
                .request("/f/" + key)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() ->
                        new ByteArrayInputStream(("email=" + email + "&first=Ada").getBytes(StandardCharsets.UTF_8))))
                .build());
        assertThat(chunked.status()).isEqualTo(411);
        var declared = anonymousPost("/f/" + key, "application/x-www-form-urlencoded", "email=" + email + "&first=Ada");
        assertThat(declared.status()).isEqualTo(303);
    }

    @Test
    void aNonFiniteNumberInAJsonBodyIs400AndStoresNothing() {
        String email = "infinite-" + UUID.randomUUID() + "@json.example";
        for (String number : List.of("1e309", "-1e309", "1e999999999")) {
            var response =
                    api.post("/api/v1/prospects", "{\"email\":\"%s\",\"employees\":%s}".formatted(email, number));
            assertThat(response.status()).as(number).isEqualTo(400);
            assertThat(response.contentType()).startsWith("application/problem+json");
            assertThat(response.json().get("errors").toString()).contains("employees");
        }
        var opportunity =
                api.post("/api/v1/opportunities", "{\"name\":\"Infinite %s\",\"amount\":1e309}".formatted(email));
        assertThat(opportunity.status()).isEqualTo(400);
        assertThat(opportunity.json().get("errors").toString()).contains("amount");
        assertThat(jdbc.sql("SELECT count(*) FROM prospect WHERE email = ?")
                        .param(email)
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void datesOutsideTheYears1000To9999Are400NamingTheFieldAndStoreNothing() {
        for (String date : List.of("0000-01-01", "+275760-09-13", "0999-12-31", "+10000-01-01")) {
            String name = "Out of range " + UUID.randomUUID();
            var opportunity = api.post(
                    "/api/v1/opportunities",
                    "{\"name\":\"%s\",\"amount\":100,\"closeDate\":\"%s\"}".formatted(name, date));
            assertThat(opportunity.status()).as(date).isEqualTo(400);
            assertThat(opportunity.json().get("errors").toString()).contains("closeDate");
            var campaign = api.post(
                    "/api/v1/campaigns",
                    "{\"name\":\"%s\",\"channel\":\"EMAIL\",\"startDate\":\"%s\"}".formatted(name, date));
            assertThat(campaign.status()).as(date).isEqualTo(400);
            assertThat(campaign.json().get("errors").toString()).contains("startDate");
            var report = api.get("/api/v1/reports/weekly?from=" + date.replace("+", "%2B") + "&to=2026-01-31");
            assertThat(report.status()).as(date).isEqualTo(400);
            assertThat(jdbc.sql("SELECT count(*) FROM opportunity WHERE name = ?")
                            .param(name)
                            .query(Long.class)
                            .single())
                    .isZero();
        }
        var accepted = api.post(
                "/api/v1/opportunities",
                "{\"name\":\"In range %s\",\"amount\":100,\"closeDate\":\"9999-12-31\"}".formatted(UUID.randomUUID()));
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(201);
    }

    private String form() {
        String key = "malformed-" + UUID.randomUUID().toString().substring(0, 8);
        var created = api.post("/api/v1/forms", """
                {"key":"%s","name":"Malformed","fieldMapping":{"email":"email","first":"firstName"},
                 "requiredFields":["firstName"],"successUrl":"https://www.example.com/thanks"}""".formatted(key));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return key;
    }

    private TestApi.Response anonymousPost(String path, String contentType, String body) {
        return api.send(new TestApi(port, null)
                .request(path)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    private String raw(String request) {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

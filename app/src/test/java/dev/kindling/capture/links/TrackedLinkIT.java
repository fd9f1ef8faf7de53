package dev.kindling.capture.links;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

@IntegrationTest
class TrackedLinkIT {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    TestApi api;

    @BeforeEach
    void setUp() {
        api = new TestApi(port);
    }

    long createLink(String kind) {
        var created = api.post("/api/v1/links", """
                {"kind":"%s","name":"Whitepaper","targetUrl":"https://cdn.example.com/whitepaper.pdf"}""".formatted(kind));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("publicUrl").asString()).contains("/l/");
        return created.json().get("id").asLong();
    }

    long createProspect() {
        return api.post("/api/v1/prospects", "{\"email\":\"clicker-" + UUID.randomUUID() + "@links.example\"}")
                .json()
                .get("id")
                .asLong();
    }

    String path(String url) {
        return url.substring(url.indexOf("/l/"));
    }

    @Test
    void aPersonalisedFileLinkRecordsTheDownloadForItsProspectAndRedirects() {
        long link = createLink("FILE");
        long prospect = createProspect();
        String url = api.get("/api/v1/links/" + link + "/url?prospectId=" + prospect)
                .json()
                .get("url")
                .asString();
        var response = new TestApi(port, null).get(path(url));
        assertThat(response.status()).isEqualTo(302);
        assertThat(response.raw().headers().firstValue("Location")).contains("https://cdn.example.com/whitepaper.pdf");
        assertThat(jdbc.sql(
                                "SELECT count(*) FROM activity WHERE type = 'FILE_DOWNLOAD' AND prospect_id = ? AND properties->>'linkId' = ?")
                        .param(prospect)
                        .param(Long.toString(link))
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
    }

    @Test
    void aHeadRequestFromALinkCheckerIsAnsweredButNotCountedAsAClick() {
        long link = createLink("LINK");
        long prospect = createProspect();
        String url = api.get("/api/v1/links/" + link + "/url?prospectId=" + prospect)
                .json()
                .get("url")
                .asString();
        TestApi anonymous = new TestApi(port, null);
        var head = anonymous.send(anonymous
                .request(path(url))
                .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody())
                .build());
        assertThat(head.status()).isEqualTo(302);
        assertThat(jdbc.sql("SELECT count(*) FROM activity WHERE prospect_id = ?")
                        .param(prospect)
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void anAnonymousClickIsRecordedForTheVisitorCookieOrNotAtAll() {
        long link = createLink("LINK");
        String url = api.get("/api/v1/links/" + link).json().get("publicUrl").asString();
        String visitor = UUID.randomUUID().toString().replace("-", "");
        TestApi anonymous = new TestApi(port, null);
        var withCookie = anonymous.send(anonymous
                .request(path(url))
                .header("Cookie", "kindling_vid=" + visitor)
                .GET()
                .build());
        assertThat(withCookie.status()).isEqualTo(302);
        assertThat(anonymous.get(path(url)).status()).isEqualTo(302);
        assertThat(jdbc.sql(
                                "SELECT count(*) FROM activity WHERE type = 'TRACKED_LINK_CLICK' AND properties->>'linkId' = ?")
                        .param(Long.toString(link))
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
        assertThat(jdbc.sql(
                                "SELECT visitor_id FROM activity WHERE type = 'TRACKED_LINK_CLICK' AND properties->>'linkId' = ?")
                        .param(Long.toString(link))
                        .query(String.class)
                        .single())
                .isEqualTo(visitor);
    }

    @Test
    void aTamperedTokenIs404NeverARedirect() {
        long link = createLink("LINK");
        long prospect = createProspect();
        String token = path(api.get("/api/v1/links/" + link + "/url?prospectId=" + prospect)
                        .json()
                        .get("url")
                        .asString())
                .substring(3);
        String otherPayload = java.util.Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((link + ":" + (prospect + 1)).getBytes());
        TestApi anonymous = new TestApi(port, null);
        for (String tampered : java.util.List.of(
                otherPayload + token.substring(token.indexOf('.')),
                token.substring(0, token.length() - 1) + (token.endsWith("A") ? "B" : "A"),
                "garbage",
                token + "x")) {
            var response = anonymous.get("/l/" + tampered);
            assertThat(response.status()).as(tampered).isEqualTo(404);
            assertThat(response.raw().headers().firstValue("Location")).isEmpty();
        }
        assertThat(jdbc.sql("SELECT count(*) FROM activity WHERE properties->>'linkId' = ?")
                        .param(Long.toString(link))
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void linksAreValidatedAndTheirCampaignMustExist() {
        var response = api.post(
                "/api/v1/links",
                "{\"kind\":\"PAGE\",\"name\":\"\",\"targetUrl\":\"ftp://x\",\"campaignId\":999999999}");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("errors").findValuesAsString("field"))
                .containsExactlyInAnyOrder("kind", "name", "targetUrl", "campaignId");
        assertThat(api.get("/api/v1/links/" + createLink("LINK") + "/url?prospectId=999999999")
                        .status())
                .isEqualTo(400);
    }
}

package dev.kindling.intake;

import static dev.kindling.intake.ActivityIngestIT.batch;
import static dev.kindling.intake.ActivityIngestIT.byEmail;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

@IntegrationTest
class ActivityBadInputIT {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    TestApi api;
    String run;

    @BeforeEach
    void setUp() {
        api = new TestApi(port);
        run = UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aBatchWithInvalidItemsListsExactlyThoseAndStoresNothing() {
        String email = "valid-" + run + "@acme-bad.example";
        var response = api.post(
                "/api/v1/activities",
                batch(
                        byEmail(run + "-0", email, "PAGE_VIEW", "2025-03-01T10:00:00Z"),
                        byEmail(run + "-1", email, "PAGE_VISIT", "2025-03-01T10:00:00Z"),
                        byEmail(run + "-2", email, "PAGE_VIEW", "2025-03-01T10:00:00Z"),
                        byEmail(run + "-3", "not-an-email", "PAGE_VIEW", "2025-03-01T10:00:00Z"),
                        byEmail(run + "-4", email, "FORM_SUBMIT", "2025-03-01T10:00:00Z"),
                        byEmail(run + "-5", email, "PAGE_VIEW", "yesterday")));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("errors").findValuesAsString("field"))
                .containsExactly("activities[1].type", "activities[3].email", "activities[5].occurredAt");
        assertNothingStored();
        assertThat(jdbc.sql("SELECT count(*) FROM prospect WHERE email = :e")
                        .param("e", email)
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void everyRuleOfAnItemIsChecked() {
        Instant future = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        var response = api.post(
                "/api/v1/activities",
                batch(
                        "{\"email\":\"a@b.example\",\"type\":\"PAGE_VIEW\",\"occurredAt\":\"2025-01-01T00:00:00Z\"}",
                        "{\"externalId\":\"%s-1\",\"email\":\"a@b.example\",\"visitorId\":\"v1\",\"type\":\"PAGE_VIEW\",\"occurredAt\":\"2025-01-01T00:00:00Z\"}"
                                .formatted(run),
                        "{\"externalId\":\"%s-2\",\"type\":\"PAGE_VIEW\",\"occurredAt\":\"2025-01-01T00:00:00Z\"}"
                                .formatted(run),
                        "{\"externalId\":\"%s-3\",\"email\":\"a@b.example\",\"type\":\"CUSTOM\",\"occurredAt\":\"2025-01-01T00:00:00Z\"}"
                                .formatted(run),
                        byEmail(run + "-4", "a@b.example", "PAGE_VIEW", future.toString()),
                        byEmail(run + "-5", "a@b.example", "PAGE_VIEW", "1999-12-31T23:59:59Z"),
                        "{\"externalId\":\"%s-6\",\"email\":\"a@b.example\",\"type\":\"PAGE_VIEW\",\"occurredAt\":\"2025-01-01T00:00:00Z\",\"properties\":{\"n\":1}}"
                                .formatted(run),
                        "{\"externalId\":\"%s-7\",\"prospectId\":\"12\",\"type\":\"PAGE_VIEW\",\"occurredAt\":\"2025-01-01T00:00:00Z\"}"
                                .formatted(run),
                        "{\"externalId\":\"%s-8\",\"email\":\"a@b.example\",\"type\":\"PAGE_VIEW\",\"occurredAt\":\"2025-01-01T00:00:00Z\",\"colour\":\"red\"}"
                                .formatted(run),
                        "{\"externalId\":\"%s-9\",\"prospectId\":987654321,\"type\":\"PAGE_VIEW\",\"occurredAt\":\"2025-01-01T00:00:00Z\"}"
                                .formatted(run),
                        "{\"externalId\":\"%s-10\",\"email\":\"a@b.example\",\"type\":\"PAGE_VIEW\",\"occurredAt\":\"2025-01-01T00:00:00Z\",\"campaignId\":987654321}"
                                .formatted(run),
                        byEmail(run + "-10", "a@b.example", "PAGE_VIEW", "2025-01-01T00:00:00Z"),
                        "\"not an object\"",
                        "{\"externalId\":\"%s-13\",\"email\":\"a@b.example\",\"type\":\"PAGE_VIEW\",\"customName\":\"x\",\"occurredAt\":\"2025-01-01T00:00:00Z\"}"
                                .formatted(run)));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("errors").findValuesAsString("field"))
                .containsExactly(
                        "activities[0].externalId",
                        "activities[1]",
                        "activities[2]",
                        "activities[3].customName",
                        "activities[4].occurredAt",
                        "activities[5].occurredAt",
                        "activities[6].properties.n",
                        "activities[7].prospectId",
                        "activities[8].colour",
                        "activities[9].prospectId",
                        "activities[10].campaignId",
                        "activities[11].externalId",
                        "activities[12]",
                        "activities[13].customName");
        assertNothingStored();
    }

    @Test
    void propertiesAreLimitedInNumberAndSize() {
        StringBuilder many = new StringBuilder("{");
        for (int i = 0; i < 51; i++) {
            many.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
        }
        many.append('}');
        var response = api.post(
                "/api/v1/activities",
                batch(
                        withProperties(run + "-0", many.toString()),
                        withProperties(run + "-1", "{\"" + "k".repeat(51) + "\":\"v\"}"),
                        withProperties(run + "-2", "{\"long\":\"" + "v".repeat(2001) + "\"}"),
                        withProperties(run + "-3", "[\"a\"]")));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("errors").findValuesAsString("field"))
                .containsExactly(
                        "activities[0].properties",
                        "activities[1].properties",
                        "activities[2].properties.long",
                        "activities[3].properties");
        assertNothingStored();
    }

    @Test
    void malformedJsonIsRefused() {
        var response = api.post("/api/v1/activities", "{\"activities\":[{\"externalId\":");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
    }

    @Test
    void wrongTypesAndUnknownFieldsAtTheTopAreRefused() {
        var notAnArray = api.post("/api/v1/activities", "{\"activities\":{\"externalId\":\"x\"}}");
        assertThat(notAnArray.status()).isEqualTo(400);
        assertThat(notAnArray.json().get("errors").findValuesAsString("field")).containsExactly("activities");

        var unknown = api.post("/api/v1/activities", "{\"activities\":[],\"dryRun\":true}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("errors").findValuesAsString("field")).containsExactly("dryRun", "activities");

        var array = api.post("/api/v1/activities", "[]");
        assertThat(array.status()).isEqualTo(400);
        assertThat(array.contentType()).startsWith("application/problem+json");
    }

    @Test
    void moreThanAThousandItemsAreRefused() {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            items.add(byEmail(run + "-" + i, "many-" + run + "@acme-bad.example", "PAGE_VIEW", "2025-01-01T00:00:00Z"));
        }
        var response = api.post("/api/v1/activities", batch(items.toArray(String[]::new)));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("errors").findValuesAsString("field")).containsExactly("activities");
        assertNothingStored();
    }

    @Test
    void anOversizedBodyIsRefused() {
        String huge = "{\"activities\":["
                + byEmail(run + "-big", "big-" + run + "@acme-bad.example", "PAGE_VIEW", "2025-01-01T00:00:00Z")
                        .replace("}", ",\"properties\":{\"x\":\"" + "y".repeat(6 * 1024 * 1024) + "\"}}")
                + "]}";
        var response = api.post("/api/v1/activities", huge);
        assertThat(response.status()).isEqualTo(413);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertNothingStored();
    }

    @Test
    void aBodyThatIsNotJsonIsRefused() {
        var response = api.send(api.request("/api/v1/activities")
                .header("Content-Type", "text/plain")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("externalId=1"))
                .build());
        assertThat(response.status()).isEqualTo(415);
        assertThat(response.json().get("status").asInt()).isEqualTo(415);
        assertThat(response.contentType()).startsWith("application/problem+json");
    }

    private String withProperties(String externalId, String properties) {
        return "{\"externalId\":\"%s\",\"email\":\"p@acme-bad.example\",\"type\":\"PAGE_VIEW\",\"occurredAt\":\"2025-01-01T00:00:00Z\",\"properties\":%s}"
                .formatted(externalId, properties);
    }

    private void assertNothingStored() {
        assertThat(jdbc.sql("SELECT count(*) FROM activity WHERE external_id LIKE :p")
                        .param("p", run + "-%")
                        .query(Long.class)
                        .single())
                .isZero();
    }
}

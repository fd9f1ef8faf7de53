package dev.kindling.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.intake.IntakeProgress;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** A scoring rule on the Nth occurrence of an action within D days, through the rules API. */
@IntegrationTest
class OccurrenceRuleIT {

    @LocalServerPort
    int port;

    @Test
    void aRuleOnTheThirdDownloadWithinThirtyDaysScoresOnlyTheThird() {
        TestApi api = new TestApi(port);
        String run = UUID.randomUUID().toString().substring(0, 8);
        TestApi.Response created = api.post("/api/v1/scoring-rules", """
                {"name":"3rd download %s","activityType":"FILE_DOWNLOAD","assetName":"Guide %s","points":40,
                 "occurrence":3,"withinDays":30}""".formatted(run, run));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().get("occurrence").asInt()).isEqualTo(3);
        assertThat(created.json().get("withinDays").asInt()).isEqualTo(30);
        long ruleId = created.json().get("id").asLong();
        try {
            String email = "third-" + run + "@occurrence.example";
            Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
            StringBuilder acts = new StringBuilder();
            for (int i = 0; i < 4; i++) {
                acts.append(i == 0 ? "" : ",").append("""
                        {"externalId":"occ-%s-%d","email":"%s","type":"FILE_DOWNLOAD","occurredAt":"%s",
                         "properties":{"assetName":"Guide %s"}}""".formatted(run, i, email, at.plusSeconds(i), run));
            }
            assertThat(api.post("/api/v1/activities", "{\"activities\":[" + acts + "]}")
                            .status())
                    .isEqualTo(202);
            IntakeProgress.awaitDrained(api);
            long id = api.prospectId(email);
            long entries = java.util.stream.StreamSupport.stream(
                            api.get("/api/v1/prospects/" + id + "/score")
                                    .json()
                                    .get("ledger")
                                    .spliterator(),
                            false)
                    .filter(e -> e.hasNonNull("ruleId") && e.get("ruleId").asLong() == ruleId)
                    .count();
            assertThat(entries)
                    .as("one entry, for the third download of the window")
                    .isEqualTo(1);
        } finally {
            api.send(api.request("/api/v1/scoring-rules/" + ruleId).DELETE().build());
        }
    }

    @Test
    void occurrenceAndWithinDaysAreValidatedTogether() {
        TestApi api = new TestApi(port);
        TestApi.Response alone = api.post("/api/v1/scoring-rules", """
                {"name":"x","activityType":"PAGE_VIEW","points":1,"occurrence":5}""");
        assertThat(alone.status()).isEqualTo(400);
        assertThat(alone.json().get("errors").findValuesAsString("field")).containsExactly("withinDays");
        TestApi.Response range = api.post("/api/v1/scoring-rules", """
                {"name":"x","activityType":"PAGE_VIEW","points":1,"occurrence":0,"withinDays":400}""");
        assertThat(range.status()).isEqualTo(400);
        assertThat(range.json().get("errors").findValuesAsString("field"))
                .containsExactlyInAnyOrder("occurrence", "withinDays");
    }
}

package dev.kindling.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kindling.support.TestApi;
import java.time.Duration;
import tools.jackson.databind.JsonNode;

/** Waits, with a deadline, for asynchronous intake to catch up, watching the public status endpoint. */
public final class IntakeProgress {

    private IntakeProgress() {}

    /**
     * Sends these activities ({@code POST /api/v1/activities} with this JSON body), asserts they are accepted (202) and
     * waits until intake has nothing pending ({@link #awaitDrained(TestApi)}).
     */
    public static void ingest(TestApi api, String activitiesJson) {
        var accepted = api.post("/api/v1/activities", activitiesJson);
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        awaitDrained(api);
    }

    public static JsonNode awaitDrained(TestApi api) {
        return awaitDrained(api, Duration.ofSeconds(30));
    }

    public static JsonNode awaitDrained(TestApi api, Duration timeout) {
        return await("intake has no pending activities")
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(50))
                .until(
                        () -> {
                            var response = api.get("/api/v1/system/intake");
                            assertThat(response.status()).isEqualTo(200);
                            return response.json();
                        },
                        status -> status.get("pending").asLong() == 0);
    }
}

package dev.kindling.intake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.support.TestApi;
import java.time.Duration;
import tools.jackson.databind.JsonNode;

/** Waits, with a deadline, for asynchronous intake to catch up, watching the public status endpoint. */
public final class IntakeProgress {

    private IntakeProgress() {
    }

    public static JsonNode awaitDrained(TestApi api) {
        return awaitDrained(api, Duration.ofSeconds(30));
    }

    static JsonNode awaitDrained(TestApi api, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode status;
        do {
            var response = api.get("/api/v1/system/intake");
            assertThat(response.status()).isEqualTo(200);
            status = response.json();
            if (status.get("pending").asLong() == 0) {
                return status;
            }
            pause();
        } while (System.nanoTime() < deadline);
        throw new AssertionError("intake still has pending activities after " + timeout + ": " + status);
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

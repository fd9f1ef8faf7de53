package dev.kindling.intake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.support.IntegrationTest;
import dev.kindling.support.KindlingProcess;
import dev.kindling.support.TestApi;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import tools.jackson.databind.JsonNode;

/**
 * The packaged application in a child JVM with its own durable embedded PostgreSQL: a batch accepted
 * (202) right before {@code kill -9} is processed exactly once after a restart. The first run
 * delays processing ({@code kindling.intake.start-delay}) so the batch is certainly pending
 * when the process dies.
 */
// runs beside the shared contexts' classes, one such class at a time (docs/testing.md)
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(IntegrationTest.BESIDE)
class IntakeCrashIT {

    private static final String KEY = "kdl_crash_test_key_0123456789abcdef";

    @TempDir
    Path dataDir;

    private KindlingProcess first;
    private KindlingProcess second;

    @Test
    void aBatchAcceptedRightBeforeAKillIsProcessedExactlyOnceAfterRestart() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> emails = List.of(
                "first-" + run + "@crash.example",
                "second-" + run + "@crash.example",
                "third-" + run + "@crash.example");
        List<String> items = new ArrayList<>();
        Map<String, Instant> latest = new java.util.HashMap<>();
        for (int i = 0; i < 30; i++) {
            String email = emails.get(i % emails.size());
            Instant at = Instant.parse("2025-06-01T00:00:00Z").plus(Duration.ofMinutes(37L * ((i * 7) % 30)));
            latest.merge(email, at, (a, b) -> a.isAfter(b) ? a : b);
            items.add(ActivityIngestIT.byEmail(run + "-" + i, email, "PAGE_VIEW", at.toString()));
        }
        String batch = ActivityIngestIT.batch(items.toArray(String[]::new));

        first = KindlingProcess.start(
                "crash-first", dataDir, KEY, Map.of(), List.of("-Dkindling.intake.start-delay=10m"));
        TestApi firstApi = first.api();
        var accepted = firstApi.post("/api/v1/activities", batch);
        assertThat(accepted.status()).isEqualTo(202);
        assertThat(firstApi.get("/api/v1/system/intake").json().get("pending").asLong())
                .isEqualTo(30);
        first.kill();
        assertThat(accepted.json().get("accepted").asInt()).isEqualTo(30);

        second = KindlingProcess.start("crash-second", dataDir, KEY, Map.of(), List.of());
        TestApi secondApi = second.api();
        IntakeProgress.awaitDrained(secondApi, Duration.ofSeconds(30));

        Set<String> seen = new HashSet<>();
        for (String email : emails) {
            JsonNode found =
                    secondApi.get("/api/v1/prospects?email=" + email).json().get("items");
            assertThat(found.size()).isEqualTo(1);
            JsonNode prospect = found.get(0);
            assertThat(Instant.parse(prospect.get("lastActivityAt").asString())).isEqualTo(latest.get(email));
            JsonNode timeline = secondApi
                    .get("/api/v1/prospects/" + prospect.get("id").asLong() + "/activities?limit=500")
                    .json()
                    .get("items");
            assertThat(timeline.size()).isEqualTo(10);
            for (JsonNode activity : timeline) {
                assertThat(activity.get("processedAt").isNull()).isFalse();
                assertThat(activity.get("failedReason").isNull()).isTrue();
                assertThat(seen.add(activity.get("externalId").asString())).isTrue();
            }
        }
        assertThat(seen).hasSize(30);
        var resent = secondApi.post("/api/v1/activities", batch);
        assertThat(resent.json().get("duplicates").asInt()).isEqualTo(30);
    }

    @AfterEach
    void stopInstances() throws Exception {
        // the second instance first: the first one's clean-up stops whatever PostgreSQL holds the data directory
        if (second != null) {
            second.close();
        }
        if (first != null) {
            first.close();
        }
    }
}

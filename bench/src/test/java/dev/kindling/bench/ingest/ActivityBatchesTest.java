package dev.kindling.bench.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.dataset.GeneratedActivity;
import dev.kindling.engine.activity.ActivityType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ActivityBatchesTest {

    private static final long[] CAMPAIGN_IDS = {101, 102, 103};

    @Test
    void splitsActivitiesIntoBatchesOfAtMostTheBatchSize() {
        List<byte[]> bodies = ActivityBatches.encode(
                IntStream.range(0, 2_500).mapToObj(i -> pageView("x" + i)), 1_000, "", CAMPAIGN_IDS);

        assertThat(bodies).hasSize(3);
        assertThat(new String(bodies.get(2), StandardCharsets.UTF_8)).contains("\"externalId\":\"x2499\"");
    }

    @Test
    void writesTheApiContractWithPrefixedIdsAndRealCampaignIds() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("url", "https://www.acme-cloud.example/ja/");
        properties.put("title", "say \"hi\" \\ 資料請求");
        GeneratedActivity activity = new GeneratedActivity(
                "g1-0-0",
                0,
                "taro.yamada0@example.co.jp",
                ActivityType.PAGE_VIEW,
                null,
                Instant.parse("2026-01-01T10:00:00Z"),
                2,
                properties);

        String body = new String(ActivityBatches.body(List.of(activity), "w1-", CAMPAIGN_IDS), StandardCharsets.UTF_8);

        assertThat(body)
                .isEqualTo("{\"activities\":[{\"externalId\":\"w1-g1-0-0\","
                        + "\"email\":\"taro.yamada0@example.co.jp\",\"type\":\"PAGE_VIEW\","
                        + "\"occurredAt\":\"2026-01-01T10:00:00Z\",\"campaignId\":103,"
                        + "\"properties\":{\"url\":\"https://www.acme-cloud.example/ja/\","
                        + "\"title\":\"say \\\"hi\\\" \\\\ 資料請求\"}}]}");
    }

    @Test
    void namesCustomActivitiesAndLeavesCampaignNullWhenThereIsNone() {
        GeneratedActivity custom = new GeneratedActivity(
                "c",
                0,
                "a@b.com",
                ActivityType.CUSTOM,
                "trial_started",
                Instant.parse("2026-01-01T10:00:00Z"),
                null,
                Map.of());

        String body = new String(ActivityBatches.body(List.of(custom), "", CAMPAIGN_IDS), StandardCharsets.UTF_8);

        assertThat(body)
                .contains("\"type\":\"CUSTOM\",\"customName\":\"trial_started\"")
                .contains("\"campaignId\":null");
    }

    private static GeneratedActivity pageView(String externalId) {
        return new GeneratedActivity(
                externalId,
                0,
                "a@b.com",
                ActivityType.PAGE_VIEW,
                null,
                Instant.parse("2026-01-01T10:00:00Z"),
                null,
                Map.of("url", "https://x.example/"));
    }
}

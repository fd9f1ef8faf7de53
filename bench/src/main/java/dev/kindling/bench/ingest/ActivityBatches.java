package dev.kindling.bench.ingest;

import dev.kindling.dataset.GeneratedActivity;
import dev.kindling.dataset.load.Json;
import dev.kindling.engine.activity.ActivityType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Encodes generated activities as request bodies of {@code POST /api/v1/activities}, at most
 * {@link #MAX_BATCH} per body, ahead of time so that sending measures the app, not the generator.
 */
final class ActivityBatches {

    static final int MAX_BATCH = 1_000;

    private ActivityBatches() {}

    /**
     * @param externalIdPrefix  put before each external id, so several passes over the same
     *                          activities (warm-up, timed run) do not count as duplicates
     * @param campaignIds       campaign id by campaign index
     */
    static List<byte[]> encode(
            Stream<GeneratedActivity> activities, int batchSize, String externalIdPrefix, long[] campaignIds) {
        if (batchSize < 1 || batchSize > MAX_BATCH) {
            throw new IllegalArgumentException("batch size must be 1.." + MAX_BATCH);
        }
        List<byte[]> bodies = new ArrayList<>();
        List<GeneratedActivity> batch = new ArrayList<>(batchSize);
        activities.forEach(activity -> {
            batch.add(activity);
            if (batch.size() == batchSize) {
                bodies.add(body(batch, externalIdPrefix, campaignIds));
                batch.clear();
            }
        });
        if (!batch.isEmpty()) {
            bodies.add(body(batch, externalIdPrefix, campaignIds));
        }
        return bodies;
    }

    static byte[] body(List<GeneratedActivity> batch, String externalIdPrefix, long[] campaignIds) {
        StringBuilder out = new StringBuilder(batch.size() * 260);
        out.append("{\"activities\":[");
        for (int i = 0; i < batch.size(); i++) {
            GeneratedActivity a = batch.get(i);
            if (i > 0) {
                out.append(',');
            }
            out.append("{\"externalId\":");
            Json.appendString(out, externalIdPrefix + a.externalId());
            out.append(",\"email\":");
            Json.appendString(out, a.email());
            out.append(",\"type\":\"").append(a.type().name()).append('"');
            if (a.type() == ActivityType.CUSTOM) {
                out.append(",\"customName\":");
                Json.appendString(out, a.customName());
            }
            out.append(",\"occurredAt\":\"").append(a.occurredAt()).append('"');
            out.append(",\"campaignId\":")
                    .append(a.campaignIndex() == null ? "null" : Long.toString(campaignIds[a.campaignIndex()]));
            out.append(",\"properties\":");
            Json.appendObject(out, a.properties());
            out.append('}');
        }
        return out.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }
}

package dev.kindling.prospects;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.intake.IntakeProgress;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.PropertyRuns;
import dev.kindling.support.TestApi;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Merge is order-independent: for random histories of two prospects, merging the first into the second leaves the
 * same activities, score ledger, score and stage as merging the second into the first, but for the id kept.
 */
@IntegrationTest
class MergeOrderIT {

    static final String[] TYPES = {"PAGE_VIEW", "FORM_SUBMIT", "EMAIL_CLICK", "FILE_DOWNLOAD", "WEBINAR_ATTENDED"};

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Test
    void mergingAIntoBLeavesTheSameHistoryScoreAndStageAsMergingBIntoA() {
        TestApi api = new TestApi(port);
        Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        // three fixed seeds; the deep run (-Pdeep) adds more
        long[] seeds = LongStream.concat(LongStream.of(7, 42, 2026), new Random(1).longs(PropertyRuns.cases(0, 27)))
                .toArray();
        for (long seed : seeds) {
            Random random = new Random(seed);
            String run = UUID.randomUUID().toString().substring(0, 8);
            List<String> first = history(random, base);
            List<String> second = history(random, base);
            int firstAdjust = random.nextBoolean() ? random.nextInt(1, 20) : 0;
            // two copies of the same pair of people
            long a1 = prospect(api, "a1-" + run);
            long b1 = prospect(api, "b1-" + run);
            long a2 = prospect(api, "a2-" + run);
            long b2 = prospect(api, "b2-" + run);
            List<String> items = new ArrayList<>();
            add(items, run + "-1", a1, first);
            add(items, run + "-1", a2, first);
            add(items, run + "-2", b1, second);
            add(items, run + "-2", b2, second);
            IntakeProgress.ingest(api, "{\"activities\":[" + String.join(",", items) + "]}");
            if (firstAdjust != 0) {
                for (long id : new long[] {a1, a2}) {
                    assertThat(api.post(
                                            "/api/v1/prospects/" + id + "/score/adjust",
                                            "{\"delta\":" + firstAdjust + ",\"reason\":\"call\"}")
                                    .status())
                            .isEqualTo(200);
                }
            }

            assertThat(api.post("/api/v1/prospects/" + a1 + "/merge", "{\"loserId\":" + b1 + "}")
                            .status())
                    .isEqualTo(200);
            assertThat(api.post("/api/v1/prospects/" + b2 + "/merge", "{\"loserId\":" + a2 + "}")
                            .status())
                    .isEqualTo(200);

            assertThat(signature(b2)).as("seed " + seed).isEqualTo(signature(a1));
        }
    }

    /** One to four activities within the last 80 days (none old enough for inactivity to decay or recycle). */
    static List<String> history(Random random, Instant base) {
        List<String> h = new ArrayList<>();
        int n = random.nextInt(1, 5);
        for (int i = 0; i < n; i++) {
            h.add(TYPES[random.nextInt(TYPES.length)] + "@" + base.minus(Duration.ofHours(random.nextInt(0, 80 * 24))));
        }
        return h;
    }

    static void add(List<String> items, String key, long prospect, List<String> history) {
        for (int i = 0; i < history.size(); i++) {
            String[] typeAt = history.get(i).split("@");
            items.add("""
                    {"externalId":"%s-%d-%d","prospectId":%d,"type":"%s","occurredAt":"%s",
                     "properties":{"url":"https://www.example.com/docs","formName":"Trial","assetName":"a.pdf"}}""".formatted(key, prospect, i, prospect, typeAt[0], typeAt[1]));
        }
    }

    static long prospect(TestApi api, String name) {
        return api.newProspect("{\"email\":\"" + name + "@order.example\"}");
    }

    /** What a merge must not depend on the order of: activities, ledger entries (not their instants or ids), state. */
    List<String> signature(long id) {
        List<String> s = new ArrayList<>();
        s.addAll(jdbc.sql("""
                        SELECT type || ' ' || occurred_at FROM activity WHERE prospect_id = ? ORDER BY 1""").param(id).query(String.class).list());
        s.addAll(jdbc.sql("""
                        SELECT kind || ' ' || CASE WHEN kind = 'MERGE' THEN '' ELSE delta::text END || ' ' ||
                               coalesce(set_to::text, '') || ' ' || result || ' ' || coalesce(rule_id::text, '')
                          FROM score_ledger WHERE prospect_id = ? ORDER BY 1""").param(id).query(String.class).list());
        s.add(jdbc.sql(
                        "SELECT score || ' ' || stage || ' ' || coalesce(last_activity_at::text, '') FROM prospect WHERE id = ?")
                .param(id)
                .query(String.class)
                .single());
        return s;
    }
}

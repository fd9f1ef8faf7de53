package dev.kindling.intake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.engine.activity.Activity;
import dev.kindling.engine.activity.ActivityType;
import dev.kindling.engine.closedloop.Action;
import dev.kindling.prospects.MergeStep;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.PropertyRuns;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The action summary (docs/closed-loop.md, "Action summary") against a from-scratch recomputation: random prospects'
 * activities (facet and band types, bots, failed ones, several 30-day windows, bands reached in some and not others)
 * stored and added in random batches — in time order as a live feed sends them, or shuffled so that late activities
 * come after the windows they belong to were summarised — with merges between batches; after every batch the summary
 * of each prospect must be exactly what the engine derives from its processed activities: per facet action its
 * earliest time, per band the earliest time the Nth activity of the type fell in one window. The guard for every
 * shortcut that leaves windows or probes out ({@link ActionSummary}).
 */
@IntegrationTest
class ActionSummaryPropertyIT {

    private static final long WINDOW = Action.BAND_DAYS * 86_400L;
    private static final String[] PATHS = {"/a", "/b", "/C/", "https://x.example/a?q=1", "?only"};

    @Autowired
    ActionSummary summary;

    @Autowired
    ActionSummaryMergeStep mergeStep;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    JsonMapper json;

    @Autowired
    TransactionTemplate tx;

    private record Row(long prospect, ActivityType type, String props, boolean bot, boolean failed, Instant at) {}

    @Test
    void theSummaryIsTheRecomputationAfterEveryBatchInAnyOrderWithBotsFailuresAndMerges() {
        int cases = PropertyRuns.cases(8, 80);
        for (int c = 0; c < cases; c++) {
            Random random = new Random(1_600 + c);
            String tag = UUID.randomUUID().toString().substring(0, 8);
            int n = 2 + random.nextInt(4);
            List<Long> prospects = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                prospects.add(jdbc.sql("""
                                INSERT INTO prospect (email, captured_at, created_at, updated_at)
                                VALUES (:email, now(), now(), now()) RETURNING id""")
                        .param("email", "sum" + i + "-" + tag + "@summary.example")
                        .query(Long.class)
                        .single());
            }
            // windows of 2003–2004 (a range no other test's activities use), the first chosen per case
            long firstWindow =
                    Math.floorDiv(Instant.parse("2003-01-01T00:00:00Z").getEpochSecond(), WINDOW) + random.nextInt(12);
            List<Row> rows = new ArrayList<>();
            for (long p : prospects) {
                // a few do a lot (bands in most windows), most a little
                int count = random.nextInt(2) == 0 ? 20 + random.nextInt(60) : random.nextInt(15);
                int windows = 1 + random.nextInt(3);
                for (int k = 0; k < count; k++) {
                    Instant at = Instant.ofEpochSecond(
                            (firstWindow + random.nextInt(windows)) * WINDOW + random.nextLong(WINDOW));
                    rows.add(randomRow(p, at, random));
                }
            }
            boolean feed = random.nextBoolean();
            if (feed) {
                rows.sort(Comparator.comparing(Row::at));
            } else {
                Collections.shuffle(rows, random);
            }
            Map<Long, Long> survivorOf = new HashMap<>();
            int from = 0;
            while (from < rows.size()) {
                int to = Math.min(rows.size(), from + 1 + random.nextInt(random.nextBoolean() ? 6 : 40));
                List<Row> batch = rows.subList(from, to);
                tx.executeWithoutResult(status -> add(batch, survivorOf));
                from = to;
                if (random.nextInt(6) == 0 && n - survivorOf.size() >= 2) {
                    merge(prospects, survivorOf, random);
                }
                assertThat(stored(prospects))
                        .as("case %d (%s), after %d of %d activities", c, feed ? "feed" : "shuffled", to, rows.size())
                        .isEqualTo(recomputed(prospects));
            }
        }
    }

    private static Row randomRow(long prospect, Instant at, Random random) {
        boolean bot = random.nextInt(12) == 0;
        boolean failed = random.nextInt(15) == 0;
        return switch (random.nextInt(10)) {
            case 0, 1, 2, 3 ->
                new Row(
                        prospect,
                        ActivityType.PAGE_VIEW,
                        "{\"url\":\"" + PATHS[random.nextInt(PATHS.length)] + "\"}",
                        bot,
                        failed,
                        at);
            case 4, 5 ->
                new Row(
                        prospect,
                        ActivityType.FILE_DOWNLOAD,
                        "{\"assetName\":\"Guide " + random.nextInt(3) + "\"}",
                        bot,
                        failed,
                        at);
            case 6 ->
                new Row(
                        prospect,
                        ActivityType.EMAIL_OPEN,
                        "{\"emailId\":\"" + (1 + random.nextInt(2)) + "\"}",
                        bot,
                        failed,
                        at);
            case 7 -> new Row(prospect, ActivityType.EMAIL_CLICK, "{\"emailId\":\"1\"}", bot, failed, at);
            case 8 ->
                new Row(
                        prospect,
                        ActivityType.FORM_SUBMIT,
                        random.nextBoolean() ? "{}" : "{\"formName\":\"Demo\"}",
                        bot,
                        failed,
                        at);
            default -> new Row(prospect, ActivityType.EMAIL_SENT, "{\"emailId\":\"9\"}", bot, failed, at);
        };
    }

    /**
     * Stores the batch's activities as intake leaves them (processed; a failed one with its reason) and adds the
     * processed ones, bots among them, to the summary: what intake does after marking a batch.
     */
    private void add(List<Row> batch, Map<Long, Long> survivorOf) {
        Map<Long, List<Activity>> byProspect = new TreeMap<>();
        for (Row row : batch) {
            long prospect = survivorOf.getOrDefault(row.prospect(), row.prospect());
            StoredActivity stored = jdbc.sql("""
                            INSERT INTO activity (external_id, type, occurred_at, received_at, prospect_id, properties,
                                                  bot, processed_at, failed_reason)
                            VALUES (:ext, :type, :at, now(), :prospect, CAST(:props AS jsonb), :bot, now(), :reason)
                            RETURNING\s""" + StoredActivity.COLUMNS)
                    .param("ext", "sum-" + UUID.randomUUID())
                    .param("type", row.type().name())
                    .param("at", Timestamp.from(row.at()))
                    .param("prospect", prospect)
                    .param("props", row.props())
                    .param("bot", row.bot())
                    .param("reason", row.failed() ? "test: failed" : null)
                    .query((rs, i) -> StoredActivity.read(rs, json))
                    .single();
            if (!row.failed()) {
                byProspect.computeIfAbsent(prospect, k -> new ArrayList<>()).add(stored.toEngine());
            }
        }
        if (!byProspect.isEmpty()) {
            summary.add(byProspect);
        }
    }

    /** Merges one prospect into another as the merge does: its activities move, then the summary's merge step. */
    private void merge(List<Long> prospects, Map<Long, Long> survivorOf, Random random) {
        List<Long> left =
                prospects.stream().filter(p -> !survivorOf.containsKey(p)).toList();
        long loser = left.get(random.nextInt(left.size()));
        long survivor = left.stream().filter(p -> p != loser).toList().get(random.nextInt(left.size() - 1));
        tx.executeWithoutResult(status -> {
            jdbc.sql("UPDATE activity SET prospect_id = :s WHERE prospect_id = :l")
                    .param("s", survivor)
                    .param("l", loser)
                    .update();
            mergeStep.merge(new MergeStep.Pair(survivor, loser, Instant.now()));
        });
        survivorOf.replaceAll((p, s) -> s == loser ? survivor : s);
        survivorOf.put(loser, survivor);
    }

    /** The summary rows of the prospects, as text, in order. */
    private TreeSet<String> stored(List<Long> prospects) {
        return new TreeSet<>(jdbc.sql("""
                        SELECT concat_ws(' ', prospect_id, type, coalesce(value, '(none)'), coalesce(at_least, 0),
                                         extract(epoch FROM first_at)::bigint)
                          FROM prospect_action WHERE prospect_id = ANY(:ids)""")
                .param("ids", prospects.toArray(Long[]::new))
                .query(String.class)
                .list());
    }

    /**
     * The summary made from scratch in the app: each prospect's processed, not failed activities read whole, the
     * facet actions by the engine's {@code Action.of}, the bands counted per type and 30-day window.
     */
    private TreeSet<String> recomputed(List<Long> prospects) {
        Map<Long, List<Activity>> byProspect = new TreeMap<>();
        jdbc.sql("SELECT " + StoredActivity.COLUMNS + """
                         FROM activity
                        WHERE prospect_id = ANY(:ids) AND processed_at IS NOT NULL AND failed_reason IS NULL""")
                .param("ids", prospects.toArray(Long[]::new))
                .query((rs, i) -> StoredActivity.read(rs, json))
                .list()
                .forEach(a -> byProspect
                        .computeIfAbsent(a.prospectId(), k -> new ArrayList<>())
                        .add(a.toEngine()));
        TreeSet<String> rows = new TreeSet<>();
        byProspect.forEach((prospect, activities) -> {
            Map<String, Instant> first = new HashMap<>();
            Map<String, List<Instant>> windows = new HashMap<>();
            for (Activity a : activities) {
                Action action = Action.of(a);
                if (action == null) {
                    continue;
                }
                first.merge(
                        a.type() + " " + (action.value() == null ? "(none)" : action.value()) + " 0",
                        a.occurredAt(),
                        (x, y) -> x.isBefore(y) ? x : y);
                if (Action.BANDS.containsKey(a.type())) {
                    windows.computeIfAbsent(
                                    a.type() + " "
                                            + Math.floorDiv(a.occurredAt().getEpochSecond(), WINDOW),
                                    k -> new ArrayList<>())
                            .add(a.occurredAt());
                }
            }
            windows.forEach((key, times) -> {
                Collections.sort(times);
                String type = key.substring(0, key.indexOf(' '));
                for (int band : Action.BANDS.get(ActivityType.valueOf(type))) {
                    if (times.size() >= band) {
                        first.merge(type + " (none) " + band, times.get(band - 1), (x, y) -> x.isBefore(y) ? x : y);
                    }
                }
            });
            first.forEach((key, at) -> rows.add(prospect + " " + key + " " + at.getEpochSecond()));
        });
        return rows;
    }
}

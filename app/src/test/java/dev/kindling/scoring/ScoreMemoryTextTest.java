package dev.kindling.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.engine.scoring.ScoreState;
import dev.kindling.support.Alterations;
import dev.kindling.support.PropertyRuns;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** {@link ScoreMemoryText} against Jackson, which it replaces on the intake's load and write of a prospect's score. */
class ScoreMemoryTextTest {

    // random cases per property: 20,000 in verify, 200,000 with -Pdeep (docs/testing.md)
    private static final int CASES = PropertyRuns.cases(20_000, 200_000);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** What {@code ScoreStore.memory} wrote through Jackson before. */
    private static String jacksonText(ScoreState s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("activityAt", s.activityAt() == null ? null : s.activityAt().toString());
        m.put("inactivityApplied", s.inactivityApplied());
        m.put("halfLifeDays", s.halfLifeDays());
        m.put("period", s.period());
        Map<String, Integer> buckets = new TreeMap<>();
        s.buckets().forEach((k, v) -> buckets.put(Long.toString(k), v));
        m.put("buckets", buckets);
        return JSON.writeValueAsString(m);
    }

    /** As PostgreSQL's {@code jsonb::text} writes the memory: keys by length, then bytes; ", " and ": ". */
    private static String postgresText(ScoreState s) {
        Comparator<String> jsonbOrder =
                Comparator.comparingInt(String::length).thenComparing(Comparator.naturalOrder());
        Map<String, String> fields = new TreeMap<>(jsonbOrder);
        fields.put("activityAt", s.activityAt() == null ? "null" : "\"" + s.activityAt() + "\"");
        fields.put("inactivityApplied", Boolean.toString(s.inactivityApplied()));
        fields.put("halfLifeDays", String.valueOf(s.halfLifeDays()));
        fields.put("period", Long.toString(s.period()));
        Map<String, Integer> buckets = new TreeMap<>(jsonbOrder);
        s.buckets().forEach((k, v) -> buckets.put(Long.toString(k), v));
        List<String> b = new ArrayList<>();
        buckets.forEach((k, v) -> b.add("\"" + k + "\": " + v));
        fields.put("buckets", "{" + String.join(", ", b) + "}");
        List<String> f = new ArrayList<>();
        fields.forEach((k, v) -> f.add("\"" + k + "\": " + v));
        return "{" + String.join(", ", f) + "}";
    }

    private static Object outcome(String text, boolean hand) {
        try {
            return hand ? ScoreMemoryText.read(text, JSON) : ScoreMemoryText.jackson(text, JSON);
        } catch (RuntimeException e) {
            return e.getClass();
        }
    }

    private static void assertSameAsJackson(String text) {
        assertThat(outcome(text, true)).as(text).isEqualTo(outcome(text, false));
    }

    private static int anInt(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> Integer.MAX_VALUE - random.nextInt(2);
            case 1 -> Integer.MIN_VALUE + random.nextInt(2);
            case 2 -> random.nextInt();
            default -> random.nextInt(200) - 20;
        };
    }

    private static ScoreState randomState(Random random) {
        Map<Long, Integer> buckets = new TreeMap<>();
        for (int k = random.nextInt(6); k > 0; k--) {
            long key = random.nextBoolean() ? random.nextInt(3_000) - 5 : random.nextLong();
            buckets.put(key, anInt(random));
        }
        long period = switch (random.nextInt(4)) {
            case 0 -> Long.MAX_VALUE - random.nextInt(2);
            case 1 -> Long.MIN_VALUE + random.nextInt(2);
            case 2 -> random.nextLong();
            default -> random.nextInt(3_000);
        };
        Instant activityAt = random.nextInt(4) == 0
                ? null
                : Instant.ofEpochSecond(
                        random.nextLong(-5_000_000_000L, 50_000_000_000L),
                        random.nextInt(4) == 0 ? random.nextInt(1_000_000_000) : 0);
        return new ScoreState(
                random.nextInt(100),
                activityAt,
                random.nextBoolean(),
                random.nextInt(4) == 0 ? null : anInt(random),
                period,
                buckets,
                Map.of(),
                null);
    }

    @Test
    void writesWhatJacksonWrote() {
        Random random = new Random(16);
        for (int n = 0; n < CASES; n++) {
            ScoreState state = randomState(random);
            assertThat(ScoreMemoryText.write(state)).isEqualTo(jacksonText(state));
        }
        assertThat(ScoreMemoryText.write(ScoreState.EMPTY)).isEqualTo(jacksonText(ScoreState.EMPTY));
    }

    @Test
    void readsWhatJacksonReadsFromPostgresTextAndJacksonText() {
        Random random = new Random(17);
        for (int n = 0; n < CASES; n++) {
            ScoreState state = randomState(random);
            for (String text : List.of(postgresText(state), jacksonText(state))) {
                ScoreMemoryText.Fields fields = ScoreMemoryText.read(text, JSON);
                assertThat(fields).as(text).isEqualTo(ScoreMemoryText.jackson(text, JSON));
                assertThat(fields.buckets()).as(text).isEqualTo(state.buckets());
                assertThat(fields.period()).as(text).isEqualTo(state.period());
            }
        }
    }

    @Test
    void anythingElseIsJacksonsAnswerOrError() {
        for (String text : List.of(
                "{}",
                " { } ",
                "{} x",
                "[]",
                "",
                "null",
                "{\"period\": 1.5}",
                "{\"period\": 1e3}",
                "{\"period\": 01}",
                "{\"period\": -0}",
                "{\"period\": 123456789012345678901}",
                "{\"period\": 9223372036854775807}",
                "{\"halfLifeDays\": 2147483648}",
                "{\"halfLifeDays\": \"7\"}",
                "{\"inactivityApplied\": 1}",
                "{\"inactivityApplied\": \"true\"}",
                "{\"inactivityApplied\": true, \"inactivityApplied\": false}",
                "{\"activityAt\": 5}",
                "{\"activityAt\": \"2026-01-01T00:00:00Z\\u0000\"}",
                "{\"\\u0070eriod\": 7}",
                "{\"buckets\": 5}",
                "{\"buckets\": {\"01\": 1, \"1\": 2}}",
                "{\"buckets\": {\"x\": 1}}",
                "{\"buckets\": {\"1\": 2147483648}}",
                "{\"buckets\": {\"1\": 1.0}}",
                "{\"buckets\": {\"1\": null}}",
                "{\"other\": 1}",
                "{\"period\": 1,}",
                "{\"period\" 1}")) {
            assertSameAsJackson(text);
        }
        Random random = new Random(18);
        String alterations = "{}[]:,\" \\u0aZ1-.eE9tfn";
        for (int n = 0; n < CASES; n++) {
            String text = random.nextBoolean() ? postgresText(randomState(random)) : jacksonText(randomState(random));
            assertSameAsJackson(Alterations.of(text, alterations, random));
        }
    }
}

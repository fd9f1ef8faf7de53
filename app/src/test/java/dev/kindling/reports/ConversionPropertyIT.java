package dev.kindling.reports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.support.IntegrationTest;
import dev.kindling.support.PropertyRuns;
import dev.kindling.support.TestApi;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The law of the funnel's conversions: whatever the journeys (skipped stages, hand-raises, imports that never
 * visited, visitors first seen after the capture, anonymous and bot visitors), no step converts more than 100 % of
 * the step before it, in either view and model, for the total and every segment. Seeded rounds (docs/adr/0005).
 */
@IntegrationTest
class ConversionPropertyIT {

    private static final List<String> PATH = List.of("CAPTURED", "ENGAGED", "MQL", "SAL", "SQL", "CUSTOMER");
    private static final Instant ORIGIN = Instant.parse("1985-01-01T00:00:00Z");

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Test
    void noConversionExceedsOneHundredPercentForRandomJourneys() {
        long seed = 20261205L;
        Random random = new Random(seed);
        TestApi api = new TestApi(port);
        for (int round = 0, rounds = PropertyRuns.cases(6, 60); round < rounds; round++) {
            String source = "conv-" + UUID.randomUUID().toString().substring(0, 8);
            writeJourneys(random, source, 8 + random.nextInt(20));
            LocalDate from = LocalDate.ofInstant(ORIGIN.plus(Duration.ofDays(random.nextInt(300))), ZoneOffset.UTC);
            LocalDate to = from.plusDays(random.nextInt(400));
            for (String view : List.of("cohort", "flow")) {
                for (String model : List.of("pardot", "stages")) {
                    for (String segment : List.of(
                            "",
                            "&segment=source",
                            "&segment=source&segmentValue=" + URLEncoder.encode(source, StandardCharsets.UTF_8))) {
                        String query = "/api/v1/reports/lifecycle?from=" + from + "&to=" + to + "&view=" + view
                                + "&model=" + model + segment;
                        TestApi.Response response = api.get(query);
                        assertThat(response.status()).as(response.body()).isEqualTo(200);
                        JsonNode report = response.json();
                        String context = "seed " + seed + ", round " + round + ": " + query;
                        assertConversionsWithinBounds(report.get("total"), context);
                        report.get("segments")
                                .forEach(s -> assertConversionsWithinBounds(
                                        s.get("funnel"), context + " segment " + s.get("value")));
                    }
                }
            }
        }
    }

    private static void assertConversionsWithinBounds(JsonNode funnel, String context) {
        JsonNode steps = funnel.get("steps");
        for (int i = 1; i < steps.size(); i++) {
            JsonNode step = steps.get(i);
            long previous = steps.get(i - 1).get("count").asLong();
            long converted = step.get("converted").asLong();
            assertThat(converted)
                    .as(context + " " + step)
                    .isLessThanOrEqualTo(previous)
                    .isLessThanOrEqualTo(step.get("count").asLong());
            if (!step.get("conversionPercent").isNull()) {
                assertThat(step.get("conversionPercent").asDouble())
                        .as(context + " " + step)
                        .isBetween(0.0, 100.0);
            }
        }
    }

    /** Prospects on random paths (each later stage skipped or reached, some recycled or disqualified) with visitors. */
    private void writeJourneys(Random random, String source, int prospects) {
        for (int p = 0; p < prospects; p++) {
            Instant at = ORIGIN.plus(Duration.ofHours(random.nextInt(24 * 700)));
            List<String> stages = new ArrayList<>();
            List<Instant> times = new ArrayList<>();
            stages.add("CAPTURED");
            times.add(at);
            for (String stage : PATH.subList(1, PATH.size())) {
                if (random.nextInt(3) > 0) {
                    at = at.plus(Duration.ofHours(random.nextInt(24 * 60)));
                    stages.add(stage);
                    times.add(at);
                }
                if (random.nextInt(6) == 0) {
                    break;
                }
            }
            if (random.nextInt(4) == 0) {
                stages.add(random.nextBoolean() ? "RECYCLED" : "DISQUALIFIED");
                times.add(at.plus(Duration.ofDays(random.nextInt(30))));
            }
            long id = jdbc.sql("""
                            INSERT INTO prospect (email, source, stage, captured_at, created_at, updated_at)
                            VALUES (:email, :source, :stage, :at, :at, :at) RETURNING id""")
                    .param("email", "p" + p + "-" + source + "@conversion.example")
                    .param("source", source)
                    .param("stage", stages.getLast())
                    .param("at", Timestamp.from(times.getFirst()))
                    .query(Long.class)
                    .single();
            for (int i = 0; i < stages.size(); i++) {
                jdbc.sql("""
                                INSERT INTO stage_reached (prospect_id, stage, first_entered_at) VALUES (:id, :stage, :at)
                                ON CONFLICT DO NOTHING""")
                        .param("id", id)
                        .param("stage", stages.get(i))
                        .param("at", Timestamp.from(times.get(i)))
                        .update();
            }
            int visitors = random.nextInt(3);
            for (int v = 0; v < visitors; v++) {
                visitor(
                        source + "-" + p + "-" + v,
                        id,
                        times.getFirst().plus(Duration.ofHours(random.nextInt(24 * 60) - 24 * 30)),
                        random.nextInt(8) == 0);
            }
        }
        for (int v = 0; v < random.nextInt(10); v++) {
            visitor(source + "-anon-" + v, null, ORIGIN.plus(Duration.ofHours(random.nextInt(24 * 700))), false);
        }
    }

    private void visitor(String id, Long prospectId, Instant at, boolean bot) {
        jdbc.sql("""
                        INSERT INTO visitor (id, prospect_id, stage, first_seen_at, last_seen_at, bot)
                        VALUES (:id, :prospect, :stage, :at, :at, :bot)""")
                .param("id", id)
                .param("prospect", prospectId)
                .param("stage", prospectId == null ? "ANONYMOUS" : "CAPTURED")
                .param("at", Timestamp.from(at))
                .param("bot", bot)
                .update();
    }
}

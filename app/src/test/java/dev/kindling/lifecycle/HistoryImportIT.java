package dev.kindling.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.intake.IntakeBatchSize;
import dev.kindling.intake.IntakeProgress;
import dev.kindling.support.MovingClockTest;
import dev.kindling.support.MutableClock;
import dev.kindling.support.ScoringModel;
import dev.kindling.support.TestApi;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * A year of history imported at once, as the demo does: activities of people not known yet, spread over twelve
 * months, sent in time order and processed in small batches (5 activities), so each person's history crosses batches.
 * Scoring follows the activities' own timeline, so each person qualifies in the month it happened, is captured at
 * their first activity, and only then has their score decayed to today.
 */
@MovingClockTest
class HistoryImportIT {

    static final int MONTHS = 12;

    @LocalServerPort
    int port;

    @Autowired
    IntakeBatchSize batchSize;

    @org.junit.jupiter.api.BeforeEach
    void inactivityResetOnlyInBatchesOfFive() {
        ScoringModel.inactivityResetOnly(new TestApi(port));
        // back to the configured size before the next class (MovingClockReset)
        batchSize.set(5);
    }

    @Autowired
    MutableClock clock;

    @Test
    void aYearOfBackDatedHistoryQualifiesEachPersonInTheMonthItHappened() {
        TestApi api = new TestApi(port);
        String run = UUID.randomUUID().toString().substring(0, 8);
        JsonNode original = api.get("/api/v1/lifecycle").json();
        // people first seen through activities have no job title: grade D; let D qualify in this context's database
        String lenient = original.toString().replace("\"mqlGrade\":\"C\"", "\"mqlGrade\":\"D\"");
        assertThat(api.put("/api/v1/lifecycle", lenient).status()).isEqualTo(200);

        Instant now = clock.instant();
        record Person(String email, Instant firstSeen, Instant firstWebinar, Instant secondWebinar) {}
        List<Person> people = new ArrayList<>();
        List<String[]> activities = new ArrayList<>(); // occurredAt, json
        for (int k = 1; k <= MONTHS; k++) {
            Instant webinar = now.minus(Duration.ofDays(30L * k + 10));
            Person p = new Person(
                    "history-" + k + "-" + run + "@corp-" + run + ".example",
                    webinar.minus(Duration.ofDays(5)),
                    webinar,
                    webinar.plus(Duration.ofDays(15)));
            people.add(p);
            activities.add(activity(p.email(), "PAGE_VIEW", p.firstSeen()));
            activities.add(activity(p.email(), "WEBINAR_ATTENDED", p.firstWebinar()));
            activities.add(activity(p.email(), "WEBINAR_ATTENDED", p.secondWebinar()));
        }
        // in time order; the queue takes activities in the order of their external ids (how intake inserts them)
        activities.sort(Comparator.comparing(a -> Instant.parse(a[0])));
        List<String> items = new ArrayList<>();
        for (int i = 0; i < activities.size(); i++) {
            items.add(activities.get(i)[1].replace("EXTERNAL_ID", run + "-" + String.format("%03d", i)));
        }
        IntakeProgress.ingest(api, "{\"activities\":[" + String.join(",", items) + "]}");

        Set<YearMonth> mqlMonths = new HashSet<>();
        for (Person p : people) {
            JsonNode prospect = api.prospectByEmail(p.email());
            long id = prospect.get("id").asLong();
            assertThat(Instant.parse(prospect.get("capturedAt").asString()))
                    .as(p.email())
                    .isEqualTo(p.firstSeen());

            JsonNode stages = api.get("/api/v1/prospects/" + id + "/stages").json();
            assertThat(LifecycleIT.path(stages))
                    .as(p.email())
                    .containsExactly("null>CAPTURED", "CAPTURED>ENGAGED", "ENGAGED>MQL");
            assertThat(LifecycleIT.at(stages, 0)).as(p.email()).isEqualTo(p.firstSeen());
            assertThat(LifecycleIT.at(stages, 1)).as(p.email()).isEqualTo(p.firstWebinar());
            assertThat(LifecycleIT.at(stages, 2))
                    .as(p.email() + ": qualified when the second webinar happened")
                    .isEqualTo(p.secondWebinar());
            assertThat(stages.get("transitions").get(2).get("cause").asString())
                    .isEqualTo("threshold:score 51 >= 50 and grade D >= D");
            mqlMonths.add(YearMonth.from(p.secondWebinar().atZone(ZoneOffset.UTC)));

            // and today the score is decayed where 90 days passed since the second webinar
            JsonNode score = api.get("/api/v1/prospects/" + id + "/score").json();
            Instant due = p.secondWebinar().plus(Duration.ofDays(90));
            if (due.isBefore(now)) {
                assertThat(score.get("score").asInt()).as(p.email()).isZero();
                JsonNode decay = score.get("ledger").get(0);
                assertThat(decay.get("kind").asString()).isEqualTo("DECAY");
                assertThat(Instant.parse(decay.get("at").asString())).isEqualTo(due);
            } else {
                assertThat(score.get("score").asInt()).as(p.email()).isEqualTo(51);
                assertThat(Instant.parse(score.get("nextDecayAt").asString())).isEqualTo(due);
            }
        }
        assertThat(mqlMonths)
                .as("MQL transitions spread over the months the activity happened")
                .hasSizeGreaterThanOrEqualTo(11);
        assertThat(mqlMonths)
                .anyMatch(m ->
                        m.isBefore(YearMonth.from(now.atZone(ZoneOffset.UTC)).minusMonths(9)));
        api.put("/api/v1/lifecycle", original.toString());
    }

    @Test
    void aProspectFirstSeenThroughActivitiesIsCapturedAtTheEarliestOfThem() {
        TestApi api = new TestApi(port);
        String run = UUID.randomUUID().toString().substring(0, 8);
        String email = "first-seen-" + run + "@corp-" + run + ".example";
        Instant now = clock.instant();
        Instant earliest = now.minus(Duration.ofDays(200));
        List<String[]> activities = List.of(
                activity(email, "PAGE_VIEW", now.minus(Duration.ofDays(3))),
                activity(email, "PAGE_VIEW", earliest),
                activity(email, "PAGE_VIEW", now.minus(Duration.ofDays(100))));
        IntakeProgress.ingest(
                api,
                "{\"activities\":["
                        + String.join(
                                ",",
                                activities.stream()
                                        .map(a -> a[1].replace(
                                                "EXTERNAL_ID", UUID.randomUUID().toString()))
                                        .toList())
                        + "]}");

        JsonNode prospect = api.prospectByEmail(email);
        assertThat(Instant.parse(prospect.get("capturedAt").asString())).isEqualTo(earliest);
        assertThat(Instant.parse(prospect.get("createdAt").asString())).isEqualTo(now);
        JsonNode stages = api.get("/api/v1/prospects/" + prospect.get("id").asLong() + "/stages")
                .json();
        assertThat(LifecycleIT.at(stages, 0)).isEqualTo(earliest);
        assertThat(stages.get("transitions").get(0).get("cause").asString()).isEqualTo("activity");
        assertThat(stages.get("reached").get(0).get("stage").asString()).isEqualTo("CAPTURED");
        assertThat(Instant.parse(
                        stages.get("reached").get(0).get("firstEnteredAt").asString()))
                .isEqualTo(earliest);
    }

    /** The occurrence instant and the activity's JSON, its external id still to fill in (EXTERNAL_ID). */
    private static String[] activity(String email, String type, Instant at) {
        return new String[] {at.toString(), """
                {"externalId":"%s","email":"%s","type":"%s","occurredAt":"%s"}""".formatted("EXTERNAL_ID", email, type, at)};
    }
}

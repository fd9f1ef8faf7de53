package dev.kindling.automation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.support.MovingClockTest;
import dev.kindling.support.MutableClock;
import dev.kindling.support.TestApi;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Match once versus repeat (days before eligible, max matches) across a clock the test moves. */
@MovingClockTest(start = "2034-03-01T09:00:00Z")
class AutomationRepeatIT {

    static final Instant START = Instant.parse("2034-03-01T09:00:00Z");

    @LocalServerPort
    int port;

    @Autowired
    MutableClock clock;

    TestApi api;
    String run;

    @BeforeEach
    void setUp() {
        api = new TestApi(port);
        run = UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aRepeatingRuleMatchesAgainAfterItsDaysUpToItsMaximumWhileAMatchOnceRuleNeverDoes() {
        String domain = "@repeat-" + run + ".example";
        long p = api.post("/api/v1/prospects", "{\"email\":\"r-" + run + domain + "\"}")
                .json()
                .get("id")
                .asLong();
        String mine = "{\"field\":\"email\",\"op\":\"endsWith\",\"value\":\"" + domain + "\"}";
        long repeat = rule("""
                {"name":"Weekly","condition":%s,"actions":[{"type":"adjustScore","points":1}],
                 "repeat":{"daysBeforeEligible":7,"maxMatches":3}}""".formatted(mine));
        long once = rule("""
                {"name":"Once","condition":%s,"actions":[{"type":"adjustScore","points":100}]}""".formatted(mine));
        try {
            assertThat(resume(repeat)).isEqualTo(1);
            assertThat(resume(once)).isEqualTo(1);
            assertThat(score(p)).isEqualTo(101);

            touch(p);
            assertThat(score(p)).as("same instant: not eligible yet").isEqualTo(101);
            clock.advance(Duration.ofDays(7).minusMinutes(1));
            touch(p);
            assertThat(score(p)).as("a minute early").isEqualTo(101);
            clock.advance(Duration.ofMinutes(1));
            touch(p);
            assertThat(score(p)).as("seven days after the first match").isEqualTo(102);
            clock.advance(Duration.ofDays(7));
            assertThat(resume(repeat))
                    .as("a retroactive run honours the repeat settings too")
                    .isEqualTo(1);
            assertThat(score(p)).isEqualTo(103);
            clock.advance(Duration.ofDays(30));
            touch(p);
            assertThat(score(p))
                    .as("max 3 matches; the match-once rule never again")
                    .isEqualTo(103);
            assertThat(api.get("/api/v1/automation-rules/" + repeat)
                            .json()
                            .get("matchCount")
                            .asLong())
                    .isEqualTo(3);
            assertThat(api.get("/api/v1/automation-rules/" + once)
                            .json()
                            .get("matchCount")
                            .asLong())
                    .isEqualTo(1);
            assertThat(api.get("/api/v1/automation-rules/" + repeat + "/matches")
                            .json()
                            .get("items"))
                    .extracting(m -> m.get("source").asString())
                    .containsExactly("RETROACTIVE", "CONTINUOUS", "RETROACTIVE");
        } finally {
            api.send(api.request("/api/v1/automation-rules/" + repeat).DELETE().build());
            api.send(api.request("/api/v1/automation-rules/" + once).DELETE().build());
        }
    }

    long rule(String json) {
        TestApi.Response r = api.post("/api/v1/automation-rules", json);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asLong();
    }

    long resume(long id) {
        TestApi.Response r = api.post("/api/v1/automation-rules/" + id + "/resume", "");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("matched").asLong();
    }

    void touch(long id) {
        TestApi.Response r = api.patch("/api/v1/prospects/" + id, "{\"jobTitle\":\"T" + UUID.randomUUID() + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    int score(long id) {
        return api.get("/api/v1/prospects/" + id).json().get("score").asInt();
    }
}

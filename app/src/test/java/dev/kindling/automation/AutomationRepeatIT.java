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

    @Autowired
    SettledPairs settled;

    @Autowired
    RuleMatching matching;

    @Autowired
    AutomationRules rules;

    @Autowired
    org.springframework.transaction.PlatformTransactionManager transactions;

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
            AutomationRule weekly = rules.find(repeat).orElseThrow();
            assertThat(settled.ineligible(weekly, p, clock.instant()))
                    .as("known to wait until seven days after its last match")
                    .isTrue();
            assertThat(settled.ineligible(weekly, p, clock.instant().plus(Duration.ofMinutes(1))))
                    .as("at the bound the claim decides")
                    .isFalse();
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

    /**
     * A pair matched for good is left out of later claims (SettledPairs) only while it cannot match: recorded once its
     * transaction commits, never from one rolled back, and no longer once the rule's repeat settings change.
     */
    @Test
    void aPairMatchedForGoodIsSkippedOnlyWhileTheRuleCannotMatchItAgain() {
        String domain = "@settled-" + run + ".example";
        long p = api.post("/api/v1/prospects", "{\"email\":\"s-" + run + domain + "\"}")
                .json()
                .get("id")
                .asLong();
        long q = api.post("/api/v1/prospects", "{\"email\":\"t-" + run + domain + "\"}")
                .json()
                .get("id")
                .asLong();
        String mine = "{\"field\":\"email\",\"op\":\"endsWith\",\"value\":\"" + domain + "\"}";
        String once = """
                {"name":"Once %s","condition":%s,"actions":[{"type":"adjustScore","points":5}]}""".formatted(run, mine);
        long id = rule(once);
        try {
            assertThat(resume(id)).isEqualTo(2);
            touch(p);
            touch(q);
            assertThat(score(p)).isEqualTo(5);
            AutomationRule ruleOnce = rules.find(id).orElseThrow();
            assertThat(settled.settled(ruleOnce, p))
                    .as("seen matched for good by a committed evaluation")
                    .isTrue();

            // a claim in a transaction that rolls back records nothing
            AutomationRule repeatMax = new AutomationRule(
                    ruleOnce.id(),
                    ruleOnce.name(),
                    ruleOnce.condition(),
                    ruleOnce.actions(),
                    ruleOnce.status(),
                    dev.kindling.engine.automation.Repeat.every(0, 2),
                    ruleOnce.createdAt(),
                    ruleOnce.updatedAt());
            new org.springframework.transaction.support.TransactionTemplate(transactions).executeWithoutResult(tx -> {
                assertThat(matching.match(
                                repeatMax, java.util.List.of(q), clock.instant(), RuleMatching.Source.CONTINUOUS))
                        .containsExactly(q);
                tx.setRollbackOnly();
            });
            assertThat(settled.settled(repeatMax, q))
                    .as("rolled back: not recorded")
                    .isFalse();

            TestApi.Response edited = api.put(
                    "/api/v1/automation-rules/" + id,
                    once.replace("}]}", "}],\"repeat\":{\"daysBeforeEligible\":0,\"maxMatches\":2}}"));
            assertThat(edited.status()).as(edited.body()).isEqualTo(200);
            AutomationRule twice = rules.find(id).orElseThrow();
            assertThat(settled.settled(twice, p))
                    .as("other repeat settings: nothing settled")
                    .isFalse();
            touch(p);
            assertThat(score(p)).as("may match twice now: matches again").isEqualTo(10);
            assertThat(settled.settled(twice, p)).as("its maximum reached").isTrue();
            touch(p);
            assertThat(score(p)).isEqualTo(10);
        } finally {
            api.send(api.request("/api/v1/automation-rules/" + id).DELETE().build());
        }
    }

    long rule(String json) {
        return TestApi.created(api.post("/api/v1/automation-rules", json));
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

package dev.kindling.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kindling.intake.IntakeProgress;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.KindlingProcess;
import dev.kindling.support.KindlingProcess.Launch;
import dev.kindling.support.TestApi;
import dev.kindling.support.salesforce.FakeOrg;
import dev.kindling.support.salesforce.FakeSalesforce;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import tools.jackson.databind.JsonNode;

/**
 * The packaged application in a child JVM with its own durable embedded PostgreSQL, killed with SIGKILL while two
 * kinds of work are under way, then restarted on the same data directory:
 *
 * <ul>
 *   <li>the intake: a batch accepted (202) right before the kill is processed exactly once after the restart — the
 *       first run delays processing ({@code kindling.intake.start-delay}), so the batch is certainly pending when the
 *       process dies;
 *   <li>the Salesforce connector, connected by environment to a fake org served in the test JVM: killed while a sync
 *       cycle is reading leads page by page (pages committed behind it, pages still to read) with Kindling's edits
 *       waiting in the outbox — every Salesforce change arrives once, every outbox row is pushed once, and the lead poll
 *       resumes from the watermark of the last page committed.
 * </ul>
 *
 * Both instances hold the cycle's lock for a lease of {@link #LEASE} instead of the default 30 s (renewed every half
 * lease, as by default): the restarted instance takes the killed cycle over once its lease has run out unrenewed, and
 * waited for the default one up to 30 s of the class's 40.
 *
 * One kill and one restart serve both (each start of the packaged app costs a JVM's start and its PostgreSQL's): the
 * two kinds of work share nothing (the intake's prospects are not linked to Salesforce, the connector's writes do not
 * go through the intake's queue), and each test asserts its own recovery.
 */
// runs beside the shared contexts' classes, one such class at a time (docs/testing.md)
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(IntegrationTest.BESIDE)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrashRecoveryIT {

    private static final String KEY = "kdl_crash_test_key_0123456789abcdef";
    private static final int PAGE = 100;
    private static final int NEW_LEADS = 500;
    private static final Pattern SINCE = Pattern.compile("SystemModstamp >= (\\S+)");
    /** The connector's leads; the intake's prospects have a domain of their own. */
    private static final String LEADS = "@crash.example";

    private static final String INTAKE = "@intake-crash.example";
    /**
     * For the waits on a cycle: each look is requests to the instance (20 prospect lookups; the Salesforce status, then
     * every prospect). At the run's 20 ms those looks cost about 5 s of CPU a run, a sixth of the class's
     * (docs/testing.md).
     */
    private static final Duration SLOW_POLL = Duration.ofMillis(250);

    /** The cycle's lock lease on both instances ({@code kindling.cluster.lock-lease}). */
    private static final Duration LEASE = Duration.ofSeconds(2);

    @TempDir
    static Path dataDir;

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private KindlingProcess first;
    private KindlingProcess second;
    private TestApi after;

    // the intake's batch
    private final List<String> emails =
            List.of("first-" + run + INTAKE, "second-" + run + INTAKE, "third-" + run + INTAKE);
    private final Map<String, Instant> latest = new HashMap<>();
    private String batch;
    private TestApi.Response accepted;
    private long pendingAtKill;

    // the Salesforce org and the cycle the kill cuts short
    private Instant base;
    private Instant lastStamp;
    private FakeOrg org;
    private final List<String> known = new ArrayList<>();
    private long pagesAtKill;
    private List<String> beforeKill;

    @BeforeAll
    void startLoadKillAndRestart() throws Exception {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String email = emails.get(i % emails.size());
            Instant at = Instant.parse("2025-06-01T00:00:00Z").plus(Duration.ofMinutes(37L * ((i * 7) % 30)));
            latest.merge(email, at, (a, b) -> a.isAfter(b) ? a : b);
            items.add("{\"externalId\":\"%s\",\"email\":\"%s\",\"type\":\"PAGE_VIEW\",\"occurredAt\":\"%s\"}"
                    .formatted(run + "-" + i, email, at));
        }
        batch = "{\"activities\":[" + String.join(",", items) + "]}";

        // the org's clock is the test's: every record gets a stamp of its own, 10 minutes apart (more than the
        // connector's 5-minute overlap), so the watermark a restarted poll starts from is visible in its query
        base = Instant.now().minus(Duration.ofDays(30)).truncatedTo(ChronoUnit.SECONDS);
        AtomicReference<Instant> orgNow = new AtomicReference<>(base);
        org = FakeSalesforce.shared().newOrg(orgNow::get).pageSize(PAGE);
        for (int i = 0; i < 20; i++) {
            known.add(org.create("Lead", lead("known" + i + "-" + run)));
        }
        Map<String, String> env = Map.of(
                "KINDLING_SALESFORCE_LOGIN_URL", FakeSalesforce.shared().loginUrl(),
                "KINDLING_SALESFORCE_CLIENT_ID", org.clientId(),
                "KINDLING_SALESFORCE_CLIENT_SECRET", org.clientSecret(),
                // one cycle at the start, the next on demand
                "KINDLING_SALESFORCE_CYCLE_SECONDS", "3600");

        String lease = "-Dkindling.cluster.lock-lease=" + LEASE;
        first = KindlingProcess.start(
                "crash-first",
                dataDir,
                KEY,
                env,
                List.of("-Dkindling.intake.start-delay=10m", lease),
                Launch.EXTRACTED);
        TestApi api = first.api();

        // the intake's batch, accepted and held (the processing starts 10 minutes after the start)
        accepted = api.post("/api/v1/activities", batch);

        Map<String, Long> prospectOf = new HashMap<>();
        await("the first cycle links the 20 leads")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(SLOW_POLL)
                .until(() -> {
                    for (int i = 0; i < known.size(); i++) {
                        JsonNode found = api.prospectsByEmail("known" + i + "-" + run + LEADS);
                        if (found.size() != 1) {
                            return false;
                        }
                        prospectOf.put(known.get(i), found.get(0).get("id").asLong());
                    }
                    return true;
                });

        // Kindling edits ten of them: outbox rows, committed with the edit, pushed by the next cycle
        for (int i = 0; i < 10; i++) {
            assertThat(api.patch(
                                    "/api/v1/prospects/" + prospectOf.get(known.get(i)),
                                    "{\"jobTitle\":\"Kindling title " + i + "\"}")
                            .status())
                    .isEqualTo(200);
        }
        // Salesforce edits the ten others and gets 500 new leads: six pages for the next cycle's lead poll
        Instant stamp = base.plus(Duration.ofHours(1));
        for (int i = 10; i < 20; i++) {
            orgNow.set(stamp = stamp.plus(Duration.ofMinutes(10)));
            org.edit("Lead", known.get(i), Map.of("Title", "Salesforce title " + i));
        }
        for (int i = 0; i < NEW_LEADS; i++) {
            orgNow.set(stamp = stamp.plus(Duration.ofMinutes(10)));
            org.create("Lead", lead("new" + i + "-" + run));
        }
        lastStamp = stamp;

        pendingAtKill = api.get("/api/v1/system/intake").json().get("pending").asLong();
        int mark = org.requests().size();
        Thread cycle = new Thread(() -> {
            try {
                api.post("/api/v1/salesforce/sync", "{}");
            } catch (RuntimeException killedMidRequest) {
                // the process dies while this request waits for its cycle
            }
        });
        cycle.start();
        // kill -9 as soon as the poll asks for its second further page: pages behind it committed, pages ahead unread
        await("the lead poll reads its further pages")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(2))
                .until(() -> pagesAfter(org, mark) >= 2);
        first.kill();
        cycle.join(Duration.ofSeconds(30).toMillis());
        pagesAtKill = pagesAfter(org, mark);
        beforeKill = org.requests();

        second = KindlingProcess.start("crash-second", dataDir, KEY, env, List.of(lease), Launch.EXTRACTED);
        after = second.api();
    }

    @Test
    void aBatchAcceptedRightBeforeAKillIsProcessedExactlyOnceAfterRestart() {
        assertThat(accepted.status()).isEqualTo(202);
        assertThat(accepted.json().get("accepted").asInt()).isEqualTo(30);
        assertThat(pendingAtKill).as("pending when the process died").isEqualTo(30);

        IntakeProgress.awaitDrained(after, Duration.ofSeconds(30));

        Set<String> seen = new HashSet<>();
        for (String email : emails) {
            JsonNode prospect = after.prospectByEmail(email);
            assertThat(Instant.parse(prospect.get("lastActivityAt").asString())).isEqualTo(latest.get(email));
            JsonNode timeline = after.get(
                            "/api/v1/prospects/" + prospect.get("id").asLong() + "/activities?limit=500")
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
        var resent = after.post("/api/v1/activities", batch);
        assertThat(resent.json().get("duplicates").asInt()).isEqualTo(30);
    }

    @Test
    void aKillDuringASyncCycleLosesNothingAndDuplicatesNothingAfterRestart() {
        assertThat(pagesAtKill).as("killed while pages were left to read").isLessThan((NEW_LEADS + 10) / PAGE);
        assertThat(beforeKill).as("nothing pushed before the kill").noneMatch(CrashRecoveryIT::isPush);

        await("the restarted cycle reads the rest and pushes the outbox")
                .atMost(Duration.ofSeconds(120))
                .pollInterval(SLOW_POLL)
                .until(() -> {
                    JsonNode status = after.get("/api/v1/salesforce/status").json();
                    return !status.get("lastCycleAt").isNull()
                            && status.get("backlogDue").asLong() == 0
                            && status.get("backlogWaiting").asLong() == 0
                            && leads(prospectsByEmail(after)).size() == known.size() + NEW_LEADS;
                });

        // every lead arrived once: one prospect per email, none twice, and no prospect but the leads and the intake's
        Map<String, JsonNode> prospects = prospectsByEmail(after);
        assertThat(prospects.keySet())
                .as("the leads' prospects and the intake's, nothing else")
                .allMatch(email -> email.endsWith(LEADS) || emails.contains(email));
        Map<String, JsonNode> leads = leads(prospects);
        assertThat(leads).hasSize(known.size() + NEW_LEADS);
        for (int i = 0; i < NEW_LEADS; i++) {
            assertThat(leads).containsKey("new" + i + "-" + run + LEADS);
        }
        // Salesforce's edits reached Kindling, Kindling's reached Salesforce
        for (int i = 10; i < 20; i++) {
            assertThat(leads.get("known" + i + "-" + run + LEADS)
                            .get("jobTitle")
                            .asString())
                    .isEqualTo("Salesforce title " + i);
        }
        for (int i = 0; i < 10; i++) {
            assertThat(org.record("Lead", known.get(i)).get("Title")).isEqualTo("Kindling title " + i);
        }
        assertThat(org.records("Lead")).hasSize(known.size() + NEW_LEADS);
        // the outbox was pushed once: one collection update, and another cycle pushes nothing again
        assertThat(after.post("/api/v1/salesforce/sync", "{}").status()).isEqualTo(200);
        assertThat(org.requests().stream().filter(CrashRecoveryIT::isPush)).hasSize(1);
        // the restarted lead poll started from the watermark of the pages committed before the kill
        List<String> restarted =
                org.requests().subList(beforeKill.size(), org.requests().size());
        Instant since = restarted.stream()
                .map(r -> URLDecoder.decode(r, StandardCharsets.UTF_8))
                .filter(r -> r.contains("FROM Lead"))
                .map(SINCE::matcher)
                .filter(Matcher::find)
                .map(m -> Instant.parse(m.group(1)))
                .findFirst()
                .orElseThrow();
        assertThat(since).isAfter(base.plus(Duration.ofHours(1))).isBefore(lastStamp);
    }

    private static Map<String, Object> lead(String name) {
        return Map.of("LastName", name, "Company", "Crash Co", "Email", name + LEADS);
    }

    /** Further query pages ({@code nextRecordsUrl}) requested since the request at {@code mark}. */
    private static long pagesAfter(FakeOrg org, int mark) {
        List<String> requests = org.requests();
        return requests.subList(mark, requests.size()).stream()
                .filter(r -> r.startsWith("GET /query/"))
                .count();
    }

    private static boolean isPush(String request) {
        return request.startsWith("PATCH /composite/sobjects");
    }

    /** The prospects of the org's leads. */
    private static Map<String, JsonNode> leads(Map<String, JsonNode> prospects) {
        Map<String, JsonNode> leads = new HashMap<>(prospects);
        leads.keySet().removeIf(email -> !email.endsWith(LEADS));
        return leads;
    }

    private static Map<String, JsonNode> prospectsByEmail(TestApi api) {
        Map<String, JsonNode> out = new HashMap<>();
        Set<Long> ids = new HashSet<>();
        String cursor = null;
        do {
            JsonNode page = api.get("/api/v1/prospects?limit=500" + (cursor == null ? "" : "&cursor=" + cursor))
                    .json();
            for (JsonNode p : page.get("items")) {
                assertThat(ids.add(p.get("id").asLong())).isTrue();
                assertThat(out.put(p.get("email").asString(), p))
                        .as("one prospect per email")
                        .isNull();
            }
            JsonNode next = page.get("nextCursor");
            cursor = next == null || next.isNull() ? null : URLEncoder.encode(next.asString(), StandardCharsets.UTF_8);
        } while (cursor != null);
        return out;
    }

    @AfterAll
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

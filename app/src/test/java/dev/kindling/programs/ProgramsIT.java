package dev.kindling.programs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kindling.conditions.ConditionNeeds;
import dev.kindling.conditions.ProspectFactsLoader;
import dev.kindling.intake.IntakeProgress;
import dev.kindling.support.MovingClockTest;
import dev.kindling.support.MutableClock;
import dev.kindling.support.TestApi;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Programs through the API with a clock the test moves, in a context and on a database of its own
 * ({@link MovingClockTest}). This context's sweeper thread is off: the tests sweep when they mean to (and twice, and
 * concurrently, where that is the point).
 */
@MovingClockTest(start = "2034-03-06T10:00:00Z")
class ProgramsIT {

    @LocalServerPort
    int port;

    @Autowired
    MutableClock clock;

    @Autowired
    ProgramSweeper sweeper;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DataSource dataSource;

    @Autowired
    PlatformTransactionManager transactions;

    @Autowired
    Enrollments enrollments;

    @Autowired
    ProgramWatcher watcher;

    @Autowired
    ProgramAdvancer advancer;

    @Autowired
    EnrollmentRows rows;

    @Autowired
    ProspectFactsLoader loader;

    @Autowired
    dev.kindling.scoring.ProspectScores scores;

    TestApi api;
    String run;

    /** A trigger "up to 5 days" of the Pricing form whose yes branch adds 3 points. */
    static final String PRICING_UP_TO = """
            {"id":"form","type":"TRIGGER","event":{"type":"formSubmitted","form":"Pricing"},"timing":"UP_TO","days":5,
             "yes":"thanks","no":"end"},
            {"id":"thanks","type":"ACTION","action":{"type":"adjustScore","points":3},"next":"end"},
            {"id":"end","type":"END"}""";

    @BeforeEach
    void setUp() {
        api = new TestApi(port);
        run = UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void prospectsOnTheRecipientListEnrollOnStartAndAWaitPassesOnlyWhenTheClockHasMoved() {
        long a = prospect("ann", null);
        long b = prospect("bob", null);
        long list = list(a, b);
        long program = program(list, """
                {"id":"first","type":"ACTION","action":{"type":"adjustScore","points":5},"next":"wait"},
                {"id":"wait","type":"WAIT","days":2,"next":"second"},
                {"id":"second","type":"ACTION","action":{"type":"adjustScore","points":7},"next":"end"},
                {"id":"end","type":"END"}""");
        int before = score(a);
        assertThat(start(program).get("enrolled").asInt()).isEqualTo(2);
        sweeper.runDue();
        assertThat(score(a)).isEqualTo(before + 5);
        assertThat(step(program, a)).isEqualTo("wait");

        clock.advance(Duration.ofDays(1));
        sweeper.runDue();
        assertThat(step(program, a)).isEqualTo("wait");

        clock.advance(Duration.ofDays(1).plusSeconds(1));
        sweeper.runDue();
        assertThat(enrollment(program, a).get("status").asString()).isEqualTo("COMPLETED");
        assertThat(score(a)).isEqualTo(before + 12);
        JsonNode report = report(program);
        assertThat(report.get("completed").asLong()).isEqualTo(2);
        assertThat(stepReport(report, "wait").get("entered").asLong()).isEqualTo(2);
        assertThat(stepReport(report, "wait").get("passedNext").asLong()).isEqualTo(2);
        assertThat(stepReport(report, "first").get("entered").asLong()).isEqualTo(2);
    }

    @Test
    void anUpToTriggerMovesOnAsSoonAsTheActivityArrivesThroughIntakeWhileAnNDaysTriggerWaitsTheFullTime() {
        long upTo = prospect("quick", null);
        long exactly = prospect("patient", null);
        long upToProgram = program(list(upTo), PRICING_UP_TO);
        long exactlyProgram = program(list(exactly), """
                {"id":"form","type":"TRIGGER","event":{"type":"formSubmitted","form":"Pricing"},"timing":"EXACTLY","days":3,
                 "yes":"thanks","no":"end"},
                {"id":"thanks","type":"ACTION","action":{"type":"adjustScore","points":3},"next":"end"},
                {"id":"end","type":"END"}""");
        start(upToProgram);
        start(exactlyProgram);
        sweeper.runDue();
        clock.advance(Duration.ofHours(2));

        formSubmit(upTo, "Pricing");
        formSubmit(exactly, "Pricing");
        // no sweep: the intake's processing of the activity moved the "up to" trigger on
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(
                                enrollment(upToProgram, upTo).get("status").asString())
                        .isEqualTo("COMPLETED"));
        assertThat(stepReport(report(upToProgram), "form").get("passedYes").asLong())
                .isEqualTo(1);
        // the other prospect's form is in too (the intake may take it in a later batch), and still waits
        IntakeProgress.awaitDrained(api);
        assertThat(step(exactlyProgram, exactly)).isEqualTo("form");

        clock.advance(Duration.ofDays(2));
        sweeper.runDue();
        assertThat(step(exactlyProgram, exactly)).isEqualTo("form");
        clock.advance(Duration.ofDays(1));
        sweeper.runDue();
        assertThat(enrollment(exactlyProgram, exactly).get("status").asString()).isEqualTo("COMPLETED");
        assertThat(stepReport(report(exactlyProgram), "form").get("passedYes").asLong())
                .isEqualTo(1);
        assertThat(stepReport(report(exactlyProgram), "thanks")
                        .get("passedNext")
                        .asLong())
                .isEqualTo(1);
    }

    @Test
    void anActivityLocksAndMovesOnlyTheEnrollmentItPassesLeavingTheProspectsOtherEnrollmentRowUntouched() {
        long p = prospect("pair", null);
        long list = list(p);
        long formProgram = program(list, PRICING_UP_TO);
        long openProgram = program(list, """
                {"id":"open","type":"TRIGGER","event":{"type":"emailOpened"},"timing":"UP_TO","days":5,
                 "yes":"end","no":"end"},
                {"id":"end","type":"END"}""");
        start(formProgram);
        start(openProgram);
        sweeper.runDue();
        clock.advance(Duration.ofHours(2));
        long other = enrollment(openProgram, p).get("id").asLong();
        String version = rowVersion(other);

        formSubmit(p, "Pricing");
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(
                                enrollment(formProgram, p).get("status").asString())
                        .isEqualTo("COMPLETED"));
        IntakeProgress.awaitDrained(api);
        assertThat(step(openProgram, p)).isEqualTo("open");
        assertThat(enrollment(openProgram, p).get("status").asString()).isEqualTo("ACTIVE");
        // read, judged unchanged and not locked: a lock (FOR UPDATE) would have set the row's xmax
        assertThat(rowVersion(other)).isEqualTo(version);
    }

    @Test
    void anEnrollmentChangedBetweenTheWatchersUnlockedReadAndItsLockIsAdvancedFromItsFreshState() throws Exception {
        long p = prospect("race", null);
        long program = program(list(p), PRICING_UP_TO);
        start(program);
        sweeper.runDue();
        clock.advance(Duration.ofHours(2));
        long enrollment = enrollment(program, p).get("id").asLong();

        // the intake finds the row held (as a sweep would hold it) and leaves it: the form waits, unjudged
        try (Connection holder = dataSource.getConnection()) {
            holder.setAutoCommit(false);
            try (var st = holder.prepareStatement("SELECT 1 FROM program_enrollment WHERE id = ? FOR UPDATE")) {
                st.setLong(1, enrollment);
                st.executeQuery().close();
            }
            formSubmit(p, "Pricing");
            IntakeProgress.awaitDrained(api);
            holder.rollback();
        }
        assertThat(step(program, p)).isEqualTo("form");
        assertThat(enrollment(program, p).get("status").asString()).isEqualTo("ACTIVE");
        int before = score(p);

        // the program is paused by a transaction that commits after the watcher read the row (active, its form in)
        // and before it locks it: the watcher's reads of the activities wait on the pausing transaction's lock
        CompletableFuture<Void> pausing = new CompletableFuture<>();
        CompletableFuture<Void> release = new CompletableFuture<>();
        CompletableFuture<Void> pause =
                CompletableFuture.runAsync(() -> new TransactionTemplate(transactions).executeWithoutResult(status -> {
                    jdbc.sql("LOCK TABLE activity IN ACCESS EXCLUSIVE MODE").update();
                    enrollments.pause(program);
                    pausing.complete(null);
                    release.join();
                }));
        pausing.get(20, TimeUnit.SECONDS);
        CompletableFuture<Integer> pid = new CompletableFuture<>();
        CompletableFuture<Void> watch =
                CompletableFuture.runAsync(() -> new TransactionTemplate(transactions).executeWithoutResult(status -> {
                    pid.complete(jdbc.sql("SELECT pg_backend_pid()")
                            .query(Integer.class)
                            .single());
                    watcher.apply(Set.of(p), Map.of(0L, Set.of()), clock.instant());
                }));
        int watching = pid.get(20, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> jdbc.sql("SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE pid = :p")
                        .param("p", watching)
                        .query(Boolean.class)
                        .optional()
                        .orElse(false));
        release.complete(null);
        pause.get(20, TimeUnit.SECONDS);
        watch.get(20, TimeUnit.SECONDS);

        // judged on its fresh state (paused by the program) it does not move: the form passed on the state read is
        // not written over the pause
        JsonNode paused = enrollment(program, p);
        assertThat(paused.get("status").asString()).isEqualTo("PAUSED");
        assertThat(paused.get("stepId").asString()).isEqualTo("form");
        assertThat(score(p)).isEqualTo(before);
        assertThat(jdbc.sql("SELECT count(*) FROM program_step_run WHERE enrollment_id = ? AND step_id = 'form'")
                        .param(enrollment)
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void anEnrollmentOfAProgramWithoutListsTheWatcherReadsUnchangedAndLeavesUnlockedCountsAsSettledInItsTransaction() {
        long p = prospect("settle", null);
        long program = TestApi.created(api.post("/api/v1/programs", definition(null, """
                {"id":"form","type":"TRIGGER","event":{"type":"formSubmitted","form":"Demo"},"timing":"UP_TO","days":5,
                 "yes":"end","no":"end"},
                {"id":"end","type":"END"}""")));
        start(program);
        long enrollment = new TransactionTemplate(transactions)
                .execute(status -> enrollments
                        .enroll(program, loader.load(List.of(p), ConditionNeeds.LISTS, clock.instant()))
                        .getFirst()
                        .id());
        sweeper.runDue();
        assertThat(step(program, p)).isEqualTo("form");
        String version = rowVersion(enrollment);

        // nothing a later round of the same transaction does can move it: the watcher does not read it again
        Set<Long> settled = new TransactionTemplate(transactions).execute(status -> {
            watcher.apply(Set.of(p), Map.of(0L, Set.of()), clock.instant());
            return Set.copyOf(advancer.settledHere());
        });
        assertThat(settled).contains(enrollment);
        assertThat(rowVersion(enrollment)).isEqualTo(version);
    }

    /** A running program for {@code list}'s members: a three-day wait, then the end. */
    long startedWaitProgram(long list) {
        long program = program(list, """
                {"id":"wait","type":"WAIT","days":3,"next":"end"},
                {"id":"end","type":"END"}""");
        start(program);
        return program;
    }

    /**
     * {@code prospect} made a member of {@code list} without an event: no watcher sees it join, so only an evaluation
     * can enroll it.
     */
    void joinUnseen(long list, long prospect) {
        jdbc.sql("INSERT INTO list_member (list_id, prospect_id, since) VALUES (:l, :p, now())")
                .param("l", list)
                .param("p", prospect)
                .update();
    }

    /**
     * The watcher takes the evaluated prospects' memberships from those the settle's facts load handed it, reading
     * only those of the prospects it lacks (all of them when none were handed): a prospect handed as a member of the
     * recipient list enrolls although the test wrote no membership row for it (the handed memberships are used, not
     * read again), one whose row was written without an event enrolls when it is missing from the handed ones, and
     * one in no list does not.
     */
    @Test
    void theWatcherEnrollsFromTheMembershipsTheSettleHandedItAndReadsThoseItLacks() {
        for (String handed : List.of("loaded", "not loaded", "incomplete")) {
            long a = prospect("handed-a", null);
            long b = prospect("handed-b", null);
            long c = prospect("handed-c", null);
            long list = list();
            long program = startedWaitProgram(list);
            for (long member : handed.equals("loaded") ? new long[] {b} : new long[] {a, b}) {
                joinUnseen(list, member);
            }
            Map<Long, Set<Long>> lists = new java.util.HashMap<>();
            lists.put(a, Set.of(list));
            lists.put(c, Set.of());
            if (handed.equals("loaded")) {
                lists.put(b, Set.of(list));
            }
            new TransactionTemplate(transactions)
                    .executeWithoutResult(status -> watcher.apply(
                            Set.of(a, b, c),
                            Map.of(0L, Set.of(a, b, c)),
                            clock.instant(),
                            Map.of(),
                            handed.equals("not loaded") ? null : lists));

            assertThat(api.get("/api/v1/programs/" + program + "/enrollments")
                            .json()
                            .get("items"))
                    .as(handed)
                    .extracting(e -> e.get("prospectId").asLong())
                    .containsExactlyInAnyOrder(a, b);
            assertThat(step(program, a)).as(handed).isEqualTo("wait");
        }
    }

    /**
     * A recipient list's membership changed earlier in the same settling round (a rule's action took the prospect out
     * of it) is seen by the program watcher: the memberships the round's facts load read before are not handed to it
     * for that prospect, so it does not enroll one that is no longer a recipient (it would then be paused in the next
     * round, an enrollment the prospect should never have had).
     */
    @Test
    void aRecipientListLeftEarlierInTheSameRoundEnrollsNobody() {
        long p = prospect("leaver", null);
        long list = list();
        long program = startedWaitProgram(list);
        joinUnseen(list, p);
        String title = "Leaver " + run;
        long rule = TestApi.created(api.post("/api/v1/automation-rules", """
                {"name":"Leaver %s","condition":{"all":[{"field":"email","op":"eq","value":"%s"},
                   {"field":"jobTitle","op":"eq","value":"%s"}]},
                 "actions":[{"type":"removeFromList","listId":%d}]}""".formatted(run, email(p), title, list)));
        try {
            TestApi.Response resumed = api.post("/api/v1/automation-rules/" + rule + "/resume", "");
            assertThat(resumed.status()).as(resumed.body()).isEqualTo(200);

            TestApi.Response r = api.patch("/api/v1/prospects/" + p, "{\"jobTitle\":\"" + title + "\"}");
            assertThat(r.status()).as(r.body()).isEqualTo(200);

            assertThat(jdbc.sql("SELECT count(*) FROM list_member WHERE list_id = :l")
                            .param("l", list)
                            .query(Long.class)
                            .single())
                    .isZero();
            assertThat(api.get("/api/v1/programs/" + program + "/enrollments")
                            .json()
                            .get("items"))
                    .isEmpty();
        } finally {
            api.send(api.request("/api/v1/automation-rules/" + rule).DELETE().build());
        }
    }

    @Test
    void aScoreChangeAloneLeavesADueTriggerToTheSweepButEnrollsARecipientAVersionBroughtAndRunsItsFirstStepsAtOnce() {
        long p = prospect("scored", null);
        long recipient = prospect("recipient", null);
        long formProgram = program(list(p), PRICING_UP_TO);
        start(formProgram);
        sweeper.runDue();
        assertThat(step(formProgram, p)).isEqualTo("form");
        // a program whose later version names a list: its member is a recipient that no list change enrolled
        String steps = """
                {"id":"hello","type":"ACTION","action":{"type":"adjustScore","points":10},"next":"wait"},
                {"id":"wait","type":"WAIT","days":30,"next":"end"},
                {"id":"end","type":"END"}""";
        long revised = program(list(), steps);
        start(revised);
        TestApi.Response r = api.send(api.request("/api/v1/programs/" + revised)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(definition(list(recipient), steps)))
                .build());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        // the trigger's 5 days are over: the enrollment is due, the sweep has not come yet
        clock.advance(Duration.ofDays(6));
        long due = enrollment(formProgram, p).get("id").asLong();
        String version = rowVersion(due);
        int before = score(p);
        int recipientBefore = score(recipient);

        scores.adjust(p, 1, "a score change alone", "test");
        scores.adjust(recipient, 1, "a score change alone", "test");

        // a score change moves no open enrollment: the due trigger was not read, locked or moved; that is the sweep's
        assertThat(step(formProgram, p)).isEqualTo("form");
        assertThat(rowVersion(due)).isEqualTo(version);
        assertThat(score(p)).isEqualTo(before + 1);
        // but it enrolls a recipient, whose first steps run in the same transaction
        assertThat(step(revised, recipient)).isEqualTo("wait");
        assertThat(score(recipient)).isEqualTo(recipientBefore + 1 + 10);
        sweeper.runDue();
        assertThat(enrollment(formProgram, p).get("status").asString()).isEqualTo("COMPLETED");
        assertThat(score(p)).isEqualTo(before + 1);
    }

    @Test
    void aSendReadsTheProspectsConsentSoADoNotEmailProspectsSendIsSkippedAndTheRestOfItsPathRuns() {
        long consenting = prospect("consenting", null);
        long refusing = prospect("refusing", null);
        jdbc.sql("UPDATE prospect SET do_not_email = true WHERE id = ?")
                .param(refusing)
                .update();
        long program = program(list(consenting, refusing), """
                {"id":"mail","type":"ACTION","action":{"type":"sendEmail","templateId":"%d"},"next":"points"},
                {"id":"points","type":"ACTION","action":{"type":"adjustScore","points":2},"next":"end"},
                {"id":"end","type":"END"}""".formatted(template("Consent")));
        int refusingBefore = score(refusing);
        start(program);
        sweeper.runDue();

        assertThat(outbox(program, consenting, "mail")).contains("Consent for");
        long refused = enrollment(program, refusing).get("id").asLong();
        assertThat(jdbc.sql("SELECT outcome FROM program_step_run WHERE enrollment_id = ? AND step_id = 'mail'")
                        .param(refused)
                        .query(String.class)
                        .single())
                .isEqualTo("SKIPPED:DO_NOT_EMAIL");
        assertThat(jdbc.sql("SELECT count(*) FROM mail_outbox WHERE dedupe_key LIKE ?")
                        .param("email:program:" + refused + ":%")
                        .query(Long.class)
                        .single())
                .isZero();
        assertThat(enrollment(program, refusing).get("status").asString()).isEqualTo("COMPLETED");
        assertThat(score(refusing)).isEqualTo(refusingBefore + 2);
    }

    @Test
    void aRuleSendsEachProspectDownItsYesOrNoBranch() {
        long health = prospect("hana", "Healthcare");
        long retail = prospect("rita", "Retail");
        long program = program(list(health, retail), """
                {"id":"industry","type":"RULE","condition":{"field":"industry","op":"eq","value":"Healthcare"},
                 "yes":"hospital","no":"other"},
                {"id":"hospital","type":"ACTION","action":{"type":"adjustScore","points":11},"next":"end"},
                {"id":"other","type":"ACTION","action":{"type":"adjustScore","points":2},"next":"end"},
                {"id":"end","type":"END"}""");
        int healthBefore = score(health);
        int retailBefore = score(retail);
        start(program);
        sweeper.runDue();
        assertThat(score(health)).isEqualTo(healthBefore + 11);
        assertThat(score(retail)).isEqualTo(retailBefore + 2);
        JsonNode rule = stepReport(report(program), "industry");
        assertThat(rule.get("passedYes").asLong()).isEqualTo(1);
        assertThat(rule.get("passedNo").asLong()).isEqualTo(1);
    }

    @Test
    void aStepNeverExecutesTwiceWhateverTheSweepsOrAReplayFromAnOldState() throws Exception {
        List<Long> prospects = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            prospects.add(prospect("p" + i, null));
        }
        long program =
                program(list(prospects.stream().mapToLong(Long::longValue).toArray()), """
                {"id":"points","type":"ACTION","action":{"type":"adjustScore","points":10},"next":"wait"},
                {"id":"wait","type":"WAIT","days":1,"next":"end"},
                {"id":"end","type":"END"}""");
        int before = score(prospects.getFirst());
        start(program);
        CompletableFuture<Integer> one = CompletableFuture.supplyAsync(sweeper::runDue);
        CompletableFuture<Integer> two = CompletableFuture.supplyAsync(sweeper::runDue);
        one.get();
        two.get();
        sweeper.runDue();
        assertThat(score(prospects.getFirst())).isEqualTo(before + 10);
        assertThat(jdbc.sql("SELECT count(*) FROM program_step_run WHERE program_id = ? AND step_id = 'points'")
                        .param(program)
                        .query(Long.class)
                        .single())
                .isEqualTo(30);

        // a crash after the step ran but with the enrollment's old state back: the replay finds the key taken
        long enrollment = enrollment(program, prospects.getFirst()).get("id").asLong();
        jdbc.sql("""
                        UPDATE program_enrollment SET step_id = 'points', visits = '{"points":1}', due_at = ?
                         WHERE id = ?""")
                .param(java.sql.Timestamp.from(clock.instant()))
                .param(enrollment)
                .update();
        sweeper.runDue();
        assertThat(score(prospects.getFirst())).isEqualTo(before + 10);
        assertThat(step(program, prospects.getFirst())).isEqualTo("wait");
    }

    /**
     * The step runs and entries name their enrollment without a foreign key (V765: their writers hold the enrollment
     * locked, and the per-row checks were four queries a transition of W5); a trigger before an enrollment's delete
     * (a prospect's delete cascades to its enrollments) takes its entries, and its runs by their keys, one for each
     * visit the enrollment counts: a loop's second visits go too, another prospect's rows stay.
     */
    @Test
    void deletingAProspectTakesItsEnrollmentsStepRunsAndEntriesOfEveryVisitWithoutForeignKeys() {
        assertThat(count("""
                        SELECT count(*) FROM pg_constraint
                         WHERE contype = 'f' AND confrelid = 'program_enrollment'::regclass""")).isZero();
        assertThat(jdbc.sql("SELECT count(*) FROM pg_indexes WHERE indexname = 'program_step_run_enrollment_idx'")
                        .query(Long.class)
                        .single())
                .isZero();

        long gone = bareProspect("gone");
        long kept = bareProspect("kept");
        long program = program(list(gone, kept), """
                {"id":"open","type":"TRIGGER","event":{"type":"emailOpened"},"timing":"UP_TO","days":1,
                 "yes":"end","no":"wait"},
                {"id":"wait","type":"WAIT","days":1,"next":"open"},
                {"id":"end","type":"END"}""");
        start(program);
        sweeper.runDue();
        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofDays(1).plusSeconds(1));
            sweeper.runDue();
        }
        long goneEnrollment = enrollment(program, gone).get("id").asLong();
        long keptEnrollment = enrollment(program, kept).get("id").asLong();
        // open:1 (no), wait:1, open:2 (no) run; open and wait entered twice each
        for (long e : List.of(goneEnrollment, keptEnrollment)) {
            assertThat(stepRows("program_step_run", e)).containsExactly("open:1", "open:2", "wait:1");
            assertThat(stepRows("program_step_entry", e)).containsExactly("open:1", "open:2", "wait:1", "wait:2");
        }

        new TransactionTemplate(transactions)
                .executeWithoutResult(status -> assertThat(jdbc.sql("DELETE FROM prospect WHERE id = :p")
                                .param("p", gone)
                                .update())
                        .isEqualTo(1));
        assertThat(jdbc.sql("SELECT count(*) FROM program_enrollment WHERE id = ?")
                        .param(goneEnrollment)
                        .query(Long.class)
                        .single())
                .isZero();
        assertThat(stepRows("program_step_run", goneEnrollment)).isEmpty();
        assertThat(stepRows("program_step_entry", goneEnrollment)).isEmpty();
        assertThat(stepRows("program_step_run", keptEnrollment)).containsExactly("open:1", "open:2", "wait:1");
        assertThat(stepRows("program_step_entry", keptEnrollment))
                .containsExactly("open:1", "open:2", "wait:1", "wait:2");
        // what the trigger relies on, over every run this context's tests recorded: each run's key is one of its
        // enrollment's keys by visits, and no run or entry names an enrollment that is gone
        String runsAmiss = """
                SELECT count(*) FROM program_step_run r
                  LEFT JOIN program_enrollment e ON e.id = r.enrollment_id
                 WHERE e.id IS NULL OR NOT r.key = ANY(program_step_keys(e.id, e.version, e.visits))""";
        assertThat(count(runsAmiss)).isZero();
        String entriesAmiss = """
                SELECT count(*) FROM program_step_entry x
                 WHERE NOT EXISTS (SELECT 1 FROM program_enrollment e WHERE e.id = x.enrollment_id)""";
        assertThat(count(entriesAmiss)).isZero();
    }

    /**
     * One index of the open enrollments (V766): unique by prospect and program with the prospect first, so it is also
     * the watcher's read by prospect, which had an index of its own holding the same rows (one entry more in each
     * advance). A second open enrollment of the pair is still refused, a finished one does not count.
     */
    @Test
    void oneUniqueIndexByProspectKeepsOneOpenEnrollmentPerProgramAndTheWatcherReadsItsProspectsOpenRows() {
        String indexes = "SELECT indexname FROM pg_indexes WHERE tablename = 'program_enrollment' ORDER BY 1";
        assertThat(jdbc.sql(indexes).query(String.class).list())
                .containsExactly(
                        "program_enrollment_due_idx",
                        "program_enrollment_open_prospect_program_idx",
                        "program_enrollment_pkey",
                        "program_enrollment_program_idx",
                        "program_enrollment_prospect_idx");
        long p = prospect("once", null);
        long program = startedWaitProgram(list(p));
        long open = enrollment(program, p).get("id").asLong();
        String second = """
                INSERT INTO program_enrollment (program_id, version, prospect_id, status, step_id, entered_at, due_at,
                                                enrolled_at, finished_at)
                VALUES (?, 1, ?, ?, 'wait', now(), CASE WHEN ? = 'ACTIVE' THEN now() END, now(),
                        CASE WHEN ? = 'COMPLETED' THEN now() END)""";
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> jdbc.sql(second)
                        .params(program, p, "ACTIVE", "ACTIVE", "ACTIVE")
                        .update())
                .isInstanceOf(org.springframework.dao.DuplicateKeyException.class);
        assertThat(jdbc.sql(second)
                        .params(program, p, "COMPLETED", "COMPLETED", "COMPLETED")
                        .update())
                .isEqualTo(1);
        assertThat(rows.openOf(new Long[] {p}, new Long[0]))
                .extracting(dev.kindling.engine.program.Enrollment::id)
                .containsExactly(open);
    }

    /**
     * A step entered and executed in the same advance (W5's +1 after its first WAIT) is recorded by its run alone,
     * marked entered (V767): no entry row, and the report counts it entered once, as the steps entered by one advance
     * and executed by a later one (the WAITs), whose entry rows stay.
     */
    @Test
    void aStepEnteredAndExecutedInOneAdvanceIsRecordedByItsRunAloneAndTheReportCountsItEnteredOnce() {
        long p = bareProspect("burst");
        long program = program(list(p), """
                {"id":"wait","type":"WAIT","days":1,"next":"points"},
                {"id":"points","type":"ACTION","action":{"type":"adjustScore","points":1},"next":"wait2"},
                {"id":"wait2","type":"WAIT","days":1,"next":"end"},
                {"id":"end","type":"END"}""");
        start(program);
        sweeper.runDue();
        clock.advance(Duration.ofDays(1).plusSeconds(1));
        sweeper.runDue();
        long e = enrollment(program, p).get("id").asLong();
        assertThat(step(program, p)).isEqualTo("wait2");
        assertThat(stepRows("program_step_entry", e)).containsExactlyInAnyOrder("wait2:1", "wait:1");
        assertThat(jdbc.sql("SELECT step_id || ':' || visit || ':' || entered FROM program_step_run"
                                + " WHERE enrollment_id = ? ORDER BY 1")
                        .param(e)
                        .query(String.class)
                        .list())
                .containsExactly("points:1:true", "wait:1:false");
        JsonNode report = report(program);
        for (String step : List.of("wait", "points", "wait2")) {
            assertThat(stepReport(report, step).get("entered").asLong())
                    .as(step)
                    .isEqualTo(1);
        }
        assertThat(stepReport(report, "points").get("passedNext").asLong()).isEqualTo(1);
        assertThat(stepReport(report, "end").get("entered").asLong()).isZero();

        clock.advance(Duration.ofDays(1).plusSeconds(1));
        sweeper.runDue();
        // wait2 executed, END entered and executed at once: its run alone
        assertThat(enrollment(program, p).get("status").asString()).isEqualTo("COMPLETED");
        assertThat(stepRows("program_step_entry", e)).containsExactlyInAnyOrder("wait2:1", "wait:1");
        assertThat(stepReport(report(program), "end").get("entered").asLong()).isEqualTo(1);
    }

    private long count(String sql) {
        return jdbc.sql(sql).query(Long.class).single();
    }

    /** An enrollment's rows of a step table as {@code step:visit}, sorted. */
    private List<String> stepRows(String table, long enrollment) {
        return jdbc.sql("SELECT step_id || ':' || visit FROM " + table + " WHERE enrollment_id = ? ORDER BY 1")
                .param(enrollment)
                .query(String.class)
                .list();
    }

    /** A prospect with nothing but its row (no stage history, no score): one a test may delete. */
    private long bareProspect(String name) {
        return jdbc.sql("""
                        INSERT INTO prospect (email, captured_at, created_at, updated_at)
                        VALUES (:email, now(), now(), now()) RETURNING id""")
                .param("email", name + "-" + UUID.randomUUID().toString().substring(0, 8) + "@corp-" + run + ".example")
                .query(Long.class)
                .single();
    }

    @Test
    void pausingTheProgramFreezesWaitsAndResumingShiftsThemByThePause() {
        long p = prospect("paula", null);
        long program = program(list(p), """
                {"id":"wait","type":"WAIT","days":4,"next":"points"},
                {"id":"points","type":"ACTION","action":{"type":"adjustScore","points":1},"next":"end"},
                {"id":"end","type":"END"}""");
        start(program);
        clock.advance(Duration.ofDays(1));
        assertThat(api.post("/api/v1/programs/" + program + "/pause", "").status())
                .isEqualTo(200);
        assertThat(enrollment(program, p).get("status").asString()).isEqualTo("PAUSED");
        clock.advance(Duration.ofDays(10));
        sweeper.runDue();
        assertThat(enrollment(program, p).get("status").asString()).isEqualTo("PAUSED");

        assertThat(api.post("/api/v1/programs/" + program + "/resume", "").status())
                .isEqualTo(200);
        Instant resumed = clock.instant();
        assertThat(Instant.parse(enrollment(program, p).get("dueAt").asString()))
                .isEqualTo(resumed.plus(Duration.ofDays(3)));
        clock.advance(Duration.ofDays(2));
        sweeper.runDue();
        assertThat(step(program, p)).isEqualTo("wait");
        clock.advance(Duration.ofDays(1));
        sweeper.runDue();
        assertThat(enrollment(program, p).get("status").asString()).isEqualTo("COMPLETED");
    }

    @Test
    void leavingTheRecipientListPausesTheEnrollmentAndComingBackResumesItWhereItWas() {
        long p = prospect("lena", null);
        long list = list(p);
        long program = program(list, """
                {"id":"wait","type":"WAIT","days":4,"next":"end"},
                {"id":"end","type":"END"}""");
        start(program);
        clock.advance(Duration.ofDays(1));
        members("DELETE", list, p);
        JsonNode paused = enrollment(program, p);
        assertThat(paused.get("status").asString()).isEqualTo("PAUSED");
        assertThat(paused.get("pausedBy").toString()).contains("NOT_A_RECIPIENT");

        clock.advance(Duration.ofDays(5));
        members("POST", list, p);
        JsonNode back = enrollment(program, p);
        assertThat(back.get("status").asString()).isEqualTo("ACTIVE");
        assertThat(back.get("stepId").asString()).isEqualTo("wait");
        assertThat(Instant.parse(back.get("dueAt").asString()))
                .isEqualTo(clock.instant().plus(Duration.ofDays(3)));
        assertThat(api.get("/api/v1/programs/" + program + "/enrollments")
                        .json()
                        .get("items")
                        .size())
                .isEqualTo(1);
    }

    @Test
    void aProspectJoiningTheListLaterEnrollsAndEditingMakesAVersionWhileInFlightEnrollmentsFinishOnTheirs() {
        long early = prospect("early", null);
        long list = list(early);
        long program = program(list, """
                {"id":"wait","type":"WAIT","days":2,"next":"points"},
                {"id":"points","type":"ACTION","action":{"type":"adjustScore","points":1},"next":"end"},
                {"id":"end","type":"END"}""");
        start(program);
        TestApi.Response revised = api.send(api.request("/api/v1/programs/" + program)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(definition(list, """
                        {"id":"wait","type":"WAIT","days":2,"next":"points"},
                        {"id":"points","type":"ACTION","action":{"type":"adjustScore","points":100},"next":"end"},
                        {"id":"end","type":"END"}""")))
                .build());
        assertThat(revised.status()).as(revised.body()).isEqualTo(200);
        assertThat(revised.json().get("version").asInt()).isEqualTo(2);

        long late = prospect("late", null);
        members("POST", list, late);
        assertThat(enrollment(program, late).get("version").asInt()).isEqualTo(2);
        assertThat(enrollment(program, early).get("version").asInt()).isEqualTo(1);
        int earlyBefore = score(early);
        int lateBefore = score(late);
        clock.advance(Duration.ofDays(2).plusSeconds(1));
        sweeper.runDue();
        assertThat(score(early)).isEqualTo(earlyBefore + 1);
        assertThat(score(late)).isEqualTo(lateBefore + 100);
        assertThat(api.get("/api/v1/programs/" + program + "/versions")
                        .json()
                        .get("items")
                        .size())
                .isEqualTo(2);
    }

    @Test
    void aLoopWithoutAWaitIsRefusedOnSaveNamingItsSteps() {
        TestApi.Response r = api.post("/api/v1/programs", definition(null, """
                {"id":"a","type":"ACTION","action":{"type":"adjustScore","points":1},"next":"b"},
                {"id":"b","type":"RULE","condition":{"field":"industry","op":"eq","value":"x"},"yes":"a","no":"end"},
                {"id":"end","type":"END"}"""));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("steps.").contains("WAIT");
        TestApi.Response nowhere = api.post("/api/v1/programs", definition(null, """
                {"id":"a","type":"ACTION","action":{"type":"adjustScore","points":1},"next":"missing"},
                {"id":"end","type":"END"}"""));
        assertThat(nowhere.status()).isEqualTo(400);
        assertThat(nowhere.body()).contains("steps.a");
        long before = jdbc.sql("SELECT count(*) FROM program").query(Long.class).single();
        assertThat(api.post("/api/v1/programs", "{\"name\":\"x\",\"steps\":[{\"id\":\"a\",\"type\":\"NOPE\"}]}")
                        .status())
                .isEqualTo(400);
        assertThat(jdbc.sql("SELECT count(*) FROM program").query(Long.class).single())
                .isEqualTo(before);
    }

    @Test
    void theWebinarFollowUpSendsOpensAndClicksTakeTheYesAndNoBranchesRaiseScoresAndFillTheStepReport() {
        long attendee = prospect("attendee", null);
        long absent = prospect("absent", null);
        long silent = prospect("silent", null);
        long list = list(attendee, absent, silent);
        String emails =
                """
                {"webinar-reminder":"%d","thank-you":"%d","survey":"%d","recording":"%d"}""".formatted(template("Reminder"), template("Thanks"), template("Survey"), template("Recording"));
        long program = TestApi.created(api.post("/api/v1/programs", """
                {"template":"WEBINAR_FOLLOW_UP","name":"Webinar %s","recipientListIds":[%d],"emails":%s}""".formatted(run, list, emails)));
        start(program);
        sweeper.runDue();
        assertThat(step(program, attendee)).isEqualTo("attended");
        assertThat(outbox(program, attendee, "reminder")).contains("/e/o/");

        clock.advance(Duration.ofHours(20));
        post("""
                {"activities":[{"externalId":"w-%s","email":"%s","type":"WEBINAR_ATTENDED","occurredAt":"%s",
                  "properties":{"webinarId":"spring-launch"}}]}""".formatted(run, email(attendee), clock.instant()));
        IntakeProgress.awaitDrained(api);
        assertThat(step(program, attendee)).isEqualTo("attended");

        clock.advance(Duration.ofDays(2));
        sweeper.runDue();
        assertThat(step(program, attendee)).isEqualTo("survey-clicked");
        assertThat(step(program, absent)).isEqualTo("recording-clicked");
        assertThat(step(program, silent)).isEqualTo("recording-clicked");

        clock.advance(Duration.ofHours(1));
        int attendeeBefore = score(attendee);
        int absentBefore = score(absent);
        TestApi anonymous = new TestApi(port, null);
        assertThat(anonymous.get(path(outbox(program, attendee, "thanks"), "o")).status())
                .isEqualTo(200);
        assertThat(anonymous.get(path(outbox(program, attendee, "survey"), "c")).status())
                .isEqualTo(302);
        assertThat(anonymous
                        .get(path(outbox(program, absent, "recording"), "c"))
                        .status())
                .isEqualTo(302);
        IntakeProgress.awaitDrained(api);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(enrollment(program, attendee).get("status").asString()).isEqualTo("COMPLETED");
            assertThat(enrollment(program, absent).get("status").asString()).isEqualTo("COMPLETED");
        });
        assertThat(score(attendee)).isGreaterThanOrEqualTo(attendeeBefore + 10);
        assertThat(score(absent)).isGreaterThanOrEqualTo(absentBefore + 5);
        assertThat(step(program, silent)).isEqualTo("recording-clicked");

        clock.advance(Duration.ofDays(7));
        sweeper.runDue();
        assertThat(enrollment(program, silent).get("status").asString()).isEqualTo("COMPLETED");

        JsonNode report = report(program);
        assertThat(report.get("completed").asLong()).isEqualTo(3);
        assertThat(report.get("active").asLong()).isZero();
        assertThat(stepReport(report, "reminder").get("sent").asLong()).isEqualTo(3);
        assertThat(stepReport(report, "attended").get("passedYes").asLong()).isEqualTo(1);
        assertThat(stepReport(report, "attended").get("passedNo").asLong()).isEqualTo(2);
        assertThat(stepReport(report, "thanks").get("opened").asLong()).isEqualTo(1);
        assertThat(stepReport(report, "survey").get("clicked").asLong()).isEqualTo(1);
        assertThat(stepReport(report, "recording").get("sent").asLong()).isEqualTo(2);
        assertThat(stepReport(report, "recording").get("clicked").asLong()).isEqualTo(1);
        assertThat(stepReport(report, "survey-clicked").get("passedYes").asLong())
                .isEqualTo(1);
        assertThat(stepReport(report, "recording-clicked").get("passedYes").asLong())
                .isEqualTo(1);
        assertThat(stepReport(report, "recording-clicked").get("passedNo").asLong())
                .isEqualTo(1);
        assertThat(stepReport(report, "score-survey").get("entered").asLong()).isEqualTo(1);
        assertThat(api.get("/api/v1/prospects/" + absent + "/programs")
                        .json()
                        .get("items")
                        .get(0)
                        .get("stepId")
                        .asString())
                .isEqualTo("end");
    }

    @Test
    void theLostOpportunityTemplateRunsOnAFreshModelAndChoosesContentByTheDealsLostReason() {
        long price = prospect("price", null);
        long rival = prospect("rival", null);
        long other = prospect("other", null);
        lose(price, "PRICE");
        lose(rival, "COMPETITOR");
        lose(other, "OTHER");
        String emails = """
                {"lost-price":"%d","lost-competitor":"%d","lost-timing":"%d","lost-general":"%d","lost-follow-up":"%d"}""".formatted(
                template("Price"), template("Rival"), template("Timing"), template("General"), template("Follow-up"));
        long program =
                TestApi.created(api.post("/api/v1/programs", """
                {"template":"LOST_OPPORTUNITY_RE_ENGAGEMENT","name":"Lost %s","recipientListIds":[%d],"emails":%s}""".formatted(run, list(price, rival, other), emails)));
        start(program);
        sweeper.runDue();
        assertThat(step(program, price)).isEqualTo("three-months");

        clock.advance(Duration.ofDays(90).plusSeconds(1));
        sweeper.runDue();

        assertThat(outbox(program, price, "price-content")).contains("Price for");
        assertThat(outbox(program, rival, "competitor-content")).contains("Rival for");
        assertThat(outbox(program, other, "general-content")).contains("General for");
        assertThat(step(program, price)).isEqualTo("re-engaged");
    }

    private void lose(long prospect, String reason) {
        TestApi.Response deal = api.post("/api/v1/opportunities", """
                {"name":"Deal %s","amount":1000,"contactRoles":[{"prospectId":%d,"role":"ECONOMIC_BUYER","primary":true}]}""".formatted(run, prospect));
        assertThat(deal.status()).as(deal.body()).isEqualTo(201);
        TestApi.Response lost = api.post(
                "/api/v1/opportunities/" + deal.json().get("id").asLong() + "/lost", "{\"reason\":\"" + reason + "\"}");
        assertThat(lost.status()).as(lost.body()).isEqualTo(200);
    }

    // --- helpers ---

    @Test
    void aProgramStepAndARuleCreateSalesTasksAndRemoveProspectsFromAnotherProgram() {
        long stepped = prospect("stepped", null);
        long ruled = prospect("ruled", null);
        long nurture = program(list(stepped, ruled), """
                {"id":"hold","type":"WAIT","days":30,"next":"end"},
                {"id":"end","type":"END"}""");
        start(nurture);
        sweeper.runDue();
        long sales = program(list(stepped), """
                {"id":"task","type":"ACTION","action":{"type":"createTask","subject":"Call about the offer","dueInHours":8},"next":"out"},
                {"id":"out","type":"ACTION","action":{"type":"removeFromProgram","programId":%d},"next":"end"},
                {"id":"end","type":"END"}""".formatted(nurture));
        start(sales);
        sweeper.runDue();
        assertThat(enrollment(nurture, stepped).get("status").asString()).isEqualTo("EXITED");
        assertThat(enrollment(nurture, stepped).get("reason").asString()).contains("program:" + sales);
        assertThat(enrollment(nurture, ruled).get("status").asString()).isEqualTo("ACTIVE");
        JsonNode task =
                api.get("/api/v1/prospects/" + stepped + "/tasks").json().get(0);
        assertThat(task.get("subject").asString()).isEqualTo("Call about the offer");
        assertThat(task.get("createdBy").asString()).isEqualTo("program:" + sales);
        assertThat(task.get("ownerId").isNull())
                .as("no owner yet: the task waits on the lead")
                .isTrue();
        assertThat(Instant.parse(task.get("dueAt").asString()))
                .isEqualTo(clock.instant().plus(Duration.ofHours(8)));

        TestApi.Response bad = api.post("/api/v1/automation-rules", """
                {"name":"Bad %s","condition":{"field":"email","op":"contains","value":"%s"},
                 "actions":[{"type":"createTask","subject":" ","dueInHours":0,"userId":999999999},
                            {"type":"removeFromProgram","programId":999999999}]}""".formatted(run, run));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("errors").findValuesAsString("field"))
                .contains("actions[0].subject", "actions[0].dueInHours", "actions[0].userId", "actions[1].programId");
        TestApi.Response rule = api.post("/api/v1/automation-rules", """
                {"name":"Out %s","condition":{"field":"email","op":"contains","value":"%s"},
                 "actions":[{"type":"createTask","subject":"Rule task","userId":"owner"},
                            {"type":"removeFromProgram","programId":%d}]}""".formatted(run, email(ruled), nurture));
        assertThat(rule.status()).as(rule.body()).isEqualTo(201);
        long ruleId = rule.json().get("id").asLong();
        assertThat(rule.json().get("actions").get(0).get("dueInHours").asInt()).isEqualTo(24);
        assertThat(api.post("/api/v1/automation-rules/" + ruleId + "/resume", "")
                        .json()
                        .get("matched")
                        .asLong())
                .isEqualTo(1);
        assertThat(enrollment(nurture, ruled).get("status").asString()).isEqualTo("EXITED");
        JsonNode ruleTask =
                api.get("/api/v1/prospects/" + ruled + "/tasks").json().get(0);
        assertThat(ruleTask.get("createdBy").asString()).isEqualTo("rule:" + ruleId);
        assertThat(ruleTask.get("subject").asString()).isEqualTo("Rule task");
    }

    private long prospect(String name, String industry) {
        String body =
                "{\"email\":\"" + name + "-" + UUID.randomUUID().toString().substring(0, 8) + "@corp-" + run
                        + ".example\",\"firstName\":\"" + name + "\""
                        + (industry == null ? "" : ",\"industry\":\"" + industry + "\"")
                        + "}";
        return api.newProspect(body);
    }

    /** A row's version: the transaction that wrote it and the one that last locked or deleted it. */
    private String rowVersion(long enrollment) {
        return jdbc.sql("SELECT xmin::text || '/' || xmax::text FROM program_enrollment WHERE id = ?")
                .param(enrollment)
                .query(String.class)
                .single();
    }

    private String email(long prospect) {
        return api.get("/api/v1/prospects/" + prospect).json().get("email").asString();
    }

    private int score(long prospect) {
        return api.get("/api/v1/prospects/" + prospect).json().get("score").asInt();
    }

    private long list(long... members) {
        long id = TestApi.created(
                api.post("/api/v1/lists", "{\"name\":\"Program list " + UUID.randomUUID() + "\",\"kind\":\"STATIC\"}"));
        for (long m : members) {
            members("POST", id, m);
        }
        return id;
    }

    private void members(String method, long list, long prospect) {
        TestApi.Response r = api.send(api.request("/api/v1/lists/" + list + "/members")
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString("{\"prospectIds\":[" + prospect + "]}"))
                .build());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    private String definition(Long list, String steps) {
        String first = steps.substring(steps.indexOf("\"id\":\"") + 6);
        first = first.substring(0, first.indexOf('"'));
        return "{\"name\":\"Program " + run + " " + UUID.randomUUID() + "\",\"start\":\"" + first + "\","
                + "\"recipientListIds\":[" + (list == null ? "" : list) + "],\"steps\":[" + steps + "]}";
    }

    private long program(long list, String steps) {
        return TestApi.created(api.post("/api/v1/programs", definition(list, steps)));
    }

    private JsonNode start(long program) {
        TestApi.Response r = api.post("/api/v1/programs/" + program + "/start", "");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    private JsonNode enrollment(long program, long prospect) {
        for (JsonNode e :
                api.get("/api/v1/programs/" + program + "/enrollments").json().get("items")) {
            if (e.get("prospectId").asLong() == prospect) {
                return e;
            }
        }
        throw new AssertionError("prospect " + prospect + " is not enrolled in program " + program);
    }

    private String step(long program, long prospect) {
        return enrollment(program, prospect).get("stepId").asString();
    }

    private JsonNode report(long program) {
        return api.get("/api/v1/programs/" + program + "/report").json();
    }

    private static JsonNode stepReport(JsonNode report, String step) {
        for (JsonNode s : report.get("steps")) {
            if (s.get("stepId").asString().equals(step)) {
                return s;
            }
        }
        throw new AssertionError("no step " + step + " in " + report);
    }

    private void formSubmit(long prospect, String form) {
        post("""
                {"activities":[{"externalId":"f-%s-%d","email":"%s","type":"FORM_SUBMIT","occurredAt":"%s",
                  "properties":{"formName":"%s"}}]}""".formatted(run, prospect, email(prospect), clock.instant(), form));
    }

    private void post(String body) {
        TestApi.Response r = api.post("/api/v1/activities", body);
        assertThat(r.status()).as(r.body()).isEqualTo(202);
    }

    private long template(String name) {
        String html = "<html><body><p>" + name + " for {{first_name|you}}</p>"
                + "<p><a href=\"https://example.com/" + name.toLowerCase() + "\">Open</a></p>"
                + "<p><a href=\"{{unsubscribe_url}}\">Unsubscribe</a></p></body></html>";
        String text = name + "\nhttps://example.com/" + name.toLowerCase() + "\nUnsubscribe: {{unsubscribe_url}}\n";
        String body = tools.jackson.databind.json.JsonMapper.builder()
                .build()
                .createObjectNode()
                .put("name", name + " " + UUID.randomUUID())
                .put("subject", name)
                .put("html", html)
                .put("text", text)
                .toString();
        return TestApi.created(api.post("/api/v1/email/templates", body));
    }

    /** The HTML of the email a step sent the prospect (its outbox row, deduplicated by the step's key). */
    private String outbox(long program, long prospect, String step) {
        long enrollment = enrollment(program, prospect).get("id").asLong();
        return jdbc.sql("SELECT html_body FROM mail_outbox WHERE dedupe_key LIKE ?")
                .param("email:program:" + enrollment + ":%:" + step + ":%")
                .query(String.class)
                .single();
    }

    private static String path(String content, String kind) {
        Matcher m = Pattern.compile("https?://[^/\"\\s>]+(/e/" + kind + "/[A-Za-z0-9_.-]+)")
                .matcher(content);
        assertThat(m.find()).as("a /e/" + kind + "/ URL in " + content).isTrue();
        return m.group(1);
    }
}

package dev.kindling.bench.nurture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.bench.harness.MigratedDatabase;
import dev.kindling.dataset.Dataset;
import dev.kindling.dataset.DatasetSize;
import dev.kindling.dataset.load.DatasetCopy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** W5's setup, release and twin against Kindling's schema at XS, without the app. */
class NurtureTwinTest {

    private static final Instant END = Instant.parse("2026-11-01T00:00:00Z");
    private static final Dataset XS = Dataset.of(DatasetSize.XS, 42, END);

    private static MigratedDatabase database;
    private static Connection connection;
    private static long program;
    private static long enrolled;
    private static Instant parked;

    @BeforeAll
    static void enrollEveryXsProspect() throws Exception {
        database = MigratedDatabase.create();
        connection = database.connect();
        Instant now = Instant.now();
        DatasetCopy copy = new DatasetCopy(connection);
        long[] campaigns = copy.copyCampaigns(XS.campaigns(), now);
        long[] accounts = copy.copyAccounts(XS, now);
        copy.copyProspects(XS, accounts, campaigns, "import:bench");
        program = NurtureTwin.scalar(
                connection,
                "INSERT INTO program (name, status, current_version, created_at)"
                        + " VALUES ('W5', 'RUNNING', 1, now()) RETURNING id");
        NurtureTwin.execute(
                connection,
                "INSERT INTO program_version (program_id, version, definition, created_at)" + " VALUES (" + program
                        + ", 1, '{}', now())");
        parked = NurtureTwin.parked(now);
        enrolled = NurtureTwin.enroll(connection, program, 1, now, parked);
        NurtureTwin.prepare(connection, program);
    }

    @AfterAll
    static void stop() throws SQLException {
        connection.close();
        database.close();
    }

    @Test
    void everyProspectIsEnrolledOnceAtTheFirstWaitAndNothingIsDueBeforeTheRelease() throws SQLException {
        assertThat(enrolled).isEqualTo(DatasetSize.XS.prospects());
        assertThat(NurtureTwin.scalar(
                        connection,
                        "SELECT count(DISTINCT prospect_id) FROM program_enrollment"
                                + " WHERE step_id = 'wait-1' AND status = 'ACTIVE' AND visits ->> 'wait-1' = '1'"))
                .isEqualTo(enrolled);
        assertThat(NurtureTwin.remaining(connection, "program_enrollment", Instant.now()))
                .isZero();
        assertThat(NurtureTwin.scalar(connection, "SELECT count(*) FROM " + NurtureTwin.TABLE))
                .isEqualTo(enrolled);
    }

    @Test
    void theReleaseMakesATenthDueAtOnceAndTheTwinMovesExactlyThoseToTheSecondWaitInSweepSizedBatches()
            throws SQLException {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

        long burst = NurtureTwin.release(connection, NurtureTwin.TABLE, parked, now);
        assertThat(burst).isEqualTo(enrolled / NurtureTwin.BURST_EVERY);
        assertThat(NurtureTwin.remaining(connection, NurtureTwin.TABLE, now)).isEqualTo(burst);
        assertThat(NurtureTwin.anyRemaining(connection, NurtureTwin.TABLE, now)).isTrue();
        NurtureTwin.Run run = NurtureTwin.run(connection, now);

        assertThat(run.moved()).isEqualTo(burst);
        assertThat(run.batches()).isEqualTo((int) (burst / NurtureTwin.BATCH) + 1);
        assertThat(NurtureTwin.remaining(connection, NurtureTwin.TABLE, now)).isZero();
        assertThat(NurtureTwin.anyRemaining(connection, NurtureTwin.TABLE, now)).isFalse();
        assertThat(NurtureTwin.atSecondWait(connection, NurtureTwin.TABLE, program, now))
                .isEqualTo(burst);
        assertThat(NurtureTwin.atSecondWait(connection, NurtureTwin.TABLE, program + 1, now))
                .as("another program's enrollments are not counted")
                .isZero();
        assertThat(NurtureTwin.scalar(
                        connection, "SELECT count(*) FROM " + NurtureTwin.TABLE + " WHERE step_id = 'wait-1'"))
                .isEqualTo(enrolled - burst);
        assertThat(NurtureTwin.remaining(connection, "program_enrollment", now)).isZero();
    }

    @Test
    void theWarmUpEnrollsTheFirstProspectsOfItsOwnProgramAllDueAtOnce() throws SQLException {
        long warmUp = NurtureTwin.scalar(
                connection,
                "INSERT INTO program (name, status, current_version, created_at)"
                        + " VALUES ('W5 warm-up', 'RUNNING', 1, now()) RETURNING id");
        NurtureTwin.execute(
                connection,
                "INSERT INTO program_version (program_id, version, definition, created_at) VALUES (" + warmUp
                        + ", 1, '{}', now())");
        Instant due = Instant.now().minusSeconds(3_600).truncatedTo(ChronoUnit.MILLIS);
        try {
            assertThat(NurtureTwin.enrollDue(connection, warmUp, 1, due, 25)).isEqualTo(25);
            assertThat(NurtureTwin.remaining(connection, "program_enrollment", due))
                    .as("exactly the warm-up's enrollments are due at its instant")
                    .isEqualTo(25);
            assertThat(NurtureTwin.scalar(
                            connection,
                            "SELECT count(*) FROM program_enrollment WHERE program_id = " + warmUp
                                    + " AND step_id = 'wait-1' AND status = 'ACTIVE'"
                                    + " AND prospect_id IN (SELECT id FROM prospect ORDER BY id LIMIT 25)"))
                    .as("the first prospects by id, at the first WAIT")
                    .isEqualTo(25);
        } finally {
            NurtureTwin.execute(connection, "DELETE FROM program_enrollment WHERE program_id = " + warmUp);
            NurtureTwin.execute(connection, "DELETE FROM program_version WHERE program_id = " + warmUp);
            NurtureTwin.execute(connection, "DELETE FROM program WHERE id = " + warmUp);
        }
    }
}

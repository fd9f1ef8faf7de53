package dev.kindling.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The time of a prospect's last stage change kept on its row (migration V690) answers what the prospect's transitions
 * answer — {@code greatest(captured_at, max(at))} — after a capture, a move, transitions written by other writers in
 * any month and out of order, and a merge that lowers the survivor's capture.
 */
@IntegrationTest
class StageChangedAtIT {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    TestApi api;
    String run;

    @BeforeEach
    void setUp() {
        api = new TestApi(port);
        run = UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void theRowsLastStageChangeIsTheLatestTransitionAfterTheCapture() {
        long a = prospect("a");
        assertThat(column(a))
                .as("the capture's own transition leaves the row alone")
                .isNull();
        assertThat(kept(a)).isEqualTo(fromTransitions(a)).isEqualTo(captured(a));

        TestApi.Response moved = api.post("/api/v1/prospects/" + a + "/stage", "{\"stage\":\"MQL\",\"reason\":\"x\"}");
        assertThat(moved.status()).as(moved.body()).isEqualTo(200);
        Instant mql = column(a);
        assertThat(mql).as("the move").isNotNull().isAfterOrEqualTo(captured(a));
        assertThat(kept(a)).isEqualTo(fromTransitions(a));

        // other writers, other months: one statement with a later and an earlier transition, then an earlier one alone
        Instant later = mql.plus(Duration.ofDays(70));
        jdbc.sql("""
                        INSERT INTO stage_transition (prospect_id, from_stage, to_stage, at, cause)
                        VALUES (:p, 'MQL', 'SQL', :later, 'test'), (:p, 'CAPTURED', 'MQL', :earlier, 'test')""")
                .param("p", a)
                .param("later", Timestamp.from(later))
                .param("earlier", Timestamp.from(mql.minus(Duration.ofDays(40))))
                .update();
        assertThat(column(a)).isEqualTo(later);
        jdbc.sql("""
                        INSERT INTO stage_transition (prospect_id, from_stage, to_stage, at, cause)
                        VALUES (:p, 'SQL', 'MQL', :at, 'test')""")
                .param("p", a)
                .param("at", Timestamp.from(later.minus(Duration.ofDays(1))))
                .update();
        assertThat(column(a)).as("an earlier transition does not lower it").isEqualTo(later);
        assertThat(kept(a)).isEqualTo(fromTransitions(a)).isEqualTo(later);
    }

    @Test
    void aMergeThatLowersTheSurvivorsCaptureKeepsTheSurvivorsLaterCaptureAsItsLastChange() {
        long loser = prospect("loser");
        long survivor = prospect("survivor");
        // the loser captured a day earlier: the merged capture is the loser's
        jdbc.sql("UPDATE prospect SET captured_at = captured_at - interval '1 day' WHERE id = :id")
                .param("id", loser)
                .update();
        Instant survivorCaptured = captured(survivor);

        TestApi.Response merged = api.post("/api/v1/prospects/" + survivor + "/merge", "{\"loserId\":" + loser + "}");

        assertThat(merged.status()).as(merged.body()).isEqualTo(200);
        assertThat(captured(survivor)).isBefore(survivorCaptured);
        assertThat(kept(survivor))
                .as("the survivor's own capture transition, later than the merged capture")
                .isEqualTo(fromTransitions(survivor))
                .isEqualTo(survivorCaptured);
    }

    long prospect(String name) {
        return api.newProspect("{\"email\":\"" + name + "." + run + "@stage-changed-" + run + ".example\"}");
    }

    Instant column(long id) {
        Timestamp at = jdbc.sql("SELECT stage_changed_at FROM prospect WHERE id = :id")
                .param("id", id)
                .query((rs, n) -> rs.getTimestamp(1))
                .list()
                .getFirst();
        return at == null ? null : at.toInstant();
    }

    Instant captured(long id) {
        return instant("SELECT captured_at FROM prospect p WHERE id = :id", id);
    }

    /** What the intake and the lifecycle read. */
    Instant kept(long id) {
        return instant("SELECT " + StageHistory.STAGE_CHANGED_AT + " FROM prospect p WHERE id = :id", id);
    }

    /** What they read before V690. */
    Instant fromTransitions(long id) {
        return instant("""
                SELECT greatest(p.captured_at, (SELECT max(t.at) FROM stage_transition t WHERE t.prospect_id = p.id))
                  FROM prospect p WHERE id = :id""", id);
    }

    Instant instant(String sql, long id) {
        return jdbc.sql(sql).param("id", id).query(Timestamp.class).single().toInstant();
    }
}

package dev.kindling.prospects;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.support.IntegrationTest;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The due instants kept in {@code prospect_due} (V720) rather than on the prospect row: written only where they
 * change, absent meaning none; and the prospect row's own per-activity writes change no indexed column, so that they
 * can be HOT updates.
 */
@IntegrationTest
class ProspectDueIT {

    private static final Instant T1 = Instant.parse("2026-03-01T10:00:00Z");
    private static final Instant T2 = Instant.parse("2026-03-02T10:00:00Z");

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ProspectRows rows;

    @Autowired
    PlatformTransactionManager transactions;

    @Test
    void aConditionCheckIsWrittenOnlyWhereItChangesAndNoneNeedsNoRow() {
        long p = prospect();
        long q = prospect();
        inTransaction(() -> rows.writeConditionChecks(List.of(p, q), Map.of(q, T1)));
        assertThat(rowExists(p)).as("no check, no row").isFalse();
        assertThat(conditionCheck(q)).isEqualTo(T1);

        long version = rowVersion(q);
        inTransaction(() -> rows.writeConditionChecks(List.of(q), Map.of(q, T1)));
        assertThat(rowVersion(q)).as("the same instant again writes nothing").isEqualTo(version);

        inTransaction(() -> rows.writeConditionChecks(List.of(q), Map.of(q, T2)));
        assertThat(conditionCheck(q)).isEqualTo(T2);
        inTransaction(() -> rows.writeConditionChecks(List.of(q), Map.of()));
        assertThat(conditionCheck(q)).as("cleared").isNull();
        assertThat(rowExists(q)).isTrue();
    }

    @Test
    void aConditionCheckIsBroughtForwardNeverBack() {
        // instants far ahead: the condition check job must not take these rows meanwhile
        Instant soon = Instant.parse("2099-01-01T00:00:00Z");
        Instant far = Instant.parse("2099-06-01T00:00:00Z");
        long none = prospect();
        long cleared = prospect();
        long later = prospect();
        long earlier = prospect();
        inTransaction(() -> rows.writeConditionChecks(
                List.of(cleared, later, earlier), Map.of(cleared, far, later, far, earlier, soon)));
        inTransaction(() -> rows.writeConditionChecks(List.of(cleared), Map.of()));
        assertThat(rowExists(cleared)).isTrue();
        long version = rowVersion(earlier);

        int[] moved = new int[1];
        inTransaction(() ->
                moved[0] = rows.advanceConditionChecks(Map.of(none, soon, cleared, soon, later, soon, earlier, far)));

        assertThat(conditionCheck(none)).as("no row yet").isEqualTo(soon);
        assertThat(conditionCheck(cleared)).as("a row without a check").isEqualTo(soon);
        assertThat(conditionCheck(later)).as("a later check").isEqualTo(soon);
        assertThat(conditionCheck(earlier)).as("an earlier check stays").isEqualTo(soon);
        assertThat(rowVersion(earlier)).as("and its row is not written").isEqualTo(version);
        assertThat(moved[0]).isEqualTo(3);
    }

    @Test
    void intakesStateWriteSetsTheProspectsColumnsAndItsDueInstantsTheLastOfARepeatedIdWinning() {
        long p = prospect();
        inTransaction(() -> rows.writeIntakeStates(
                new Long[] {p, p},
                new String[] {"ENGAGED", "ENGAGED"},
                new Timestamp[] {Timestamp.from(T1), Timestamp.from(T2)},
                new Integer[] {5, 7},
                new Timestamp[] {Timestamp.from(T1), Timestamp.from(T2)},
                new String[] {null, null},
                new Timestamp[] {null, Timestamp.from(T1)}));
        assertThat(jdbc.sql("""
                        SELECT p.stage, d.next_decay_at, d.lifecycle_check_at
                          FROM prospect p JOIN prospect_due d ON d.prospect_id = p.id WHERE p.id = :id""")
                        .param("id", p)
                        .query((rs, n) -> List.of(
                                rs.getString(1),
                                rs.getTimestamp(2).toInstant(),
                                rs.getTimestamp(3).toInstant()))
                        .single())
                .containsExactly("ENGAGED", T2, T1);
    }

    @Test
    void theProspectRowsPerActivityWritesChangeNoIndexedColumnSoTheyCanStayOnTheirPage() {
        Set<String> indexed = new TreeSet<>(jdbc.sql("""
                        SELECT DISTINCT a.attname
                          FROM pg_index i
                          JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
                         WHERE i.indrelid = 'prospect'::regclass""").query(String.class).list());
        // expression indexes name their columns in indexprs, not indkey: these only read last_name
        assertThat(indexed)
                .as(
                        "intake's and scoring's writes of the row: last activity, score and its memory, do-not-email, grade")
                .doesNotContain("last_activity_at", "score", "score_memory", "do_not_email", "grade", "updated_at")
                .contains("stage", "email");
        assertThat(jdbc.sql("""
                        SELECT count(*) FROM information_schema.columns
                         WHERE table_name = 'prospect'
                           AND column_name IN ('next_decay_at', 'lifecycle_check_at', 'condition_check_at')""").query(Long.class).single())
                .as("the due instants live in prospect_due")
                .isZero();
        assertThat(jdbc.sql("SELECT array_to_string(reloptions, ',') FROM pg_class WHERE oid = 'prospect'::regclass")
                        .query(String.class)
                        .single())
                .as("room on the page for a row's new version")
                .contains("fillfactor=85");
    }

    private long prospect() {
        Timestamp now = Timestamp.from(T1);
        return jdbc.sql("""
                        INSERT INTO prospect (email, captured_at, created_at, updated_at)
                        VALUES (:email, :now, :now, :now) RETURNING id""")
                .param("email", "due-" + UUID.randomUUID() + "@example.com")
                .param("now", now)
                .query(Long.class)
                .single();
    }

    private void inTransaction(Runnable work) {
        new TransactionTemplate(transactions).executeWithoutResult(tx -> work.run());
    }

    private boolean rowExists(long id) {
        return jdbc.sql("SELECT count(*) FROM prospect_due WHERE prospect_id = :id")
                        .param("id", id)
                        .query(Long.class)
                        .single()
                > 0;
    }

    private Instant conditionCheck(long id) {
        Timestamp at = jdbc.sql("SELECT condition_check_at FROM prospect_due WHERE prospect_id = :id")
                .param("id", id)
                .query(Timestamp.class)
                .list()
                .getFirst();
        return at == null ? null : at.toInstant();
    }

    private long rowVersion(long id) {
        return jdbc.sql("SELECT xmin::text::bigint FROM prospect_due WHERE prospect_id = :id")
                .param("id", id)
                .query(Long.class)
                .single();
    }
}

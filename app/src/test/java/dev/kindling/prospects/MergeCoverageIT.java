package dev.kindling.prospects;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.support.IntegrationTest;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Every column that refers to a prospect — a foreign key to {@code prospect} or a column named like one — is
 * re-pointed by some {@link MergeStep}: a new table that forgets to take part in merges fails here.
 */
@IntegrationTest
class MergeCoverageIT {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ProspectMerges merges;

    @Test
    void everyColumnReferringToAProspectIsHandledByTheMerge() {
        Set<String> referring = new TreeSet<>(jdbc.sql("""
                        SELECT k.table_name || '.' || k.column_name
                          FROM information_schema.referential_constraints r
                          JOIN information_schema.key_column_usage k
                            ON k.constraint_schema = r.constraint_schema AND k.constraint_name = r.constraint_name
                          JOIN information_schema.constraint_column_usage u
                            ON u.constraint_schema = r.unique_constraint_schema
                           AND u.constraint_name = r.unique_constraint_name
                         WHERE u.table_name = 'prospect' AND k.table_schema = current_schema()
                        UNION
                        SELECT table_name || '.' || column_name
                          FROM information_schema.columns
                         WHERE table_schema = current_schema() AND column_name LIKE '%prospect_id'
                           AND table_name IN (SELECT table_name FROM information_schema.tables
                                               WHERE table_schema = current_schema() AND table_type = 'BASE TABLE')
                        EXCEPT -- a partition's columns are its partitioned table's (activity's months)
                        SELECT c.relname || '.' || a.attname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
                         WHERE c.relispartition""").query(String.class).list());

        assertThat(referring)
                .as("the query finds the known references")
                .contains("activity.prospect_id", "score_ledger.prospect_id", "prospect_merged.survivor_id");
        assertThat(merges.handledColumns())
                .as("columns referring to a prospect that no MergeStep re-points")
                .containsAll(referring);
    }

    @Test
    void everyColumnAStepClaimsExists() {
        for (String column : merges.handledColumns()) {
            assertThat(jdbc.sql("""
                            SELECT count(*) FROM information_schema.columns
                             WHERE table_schema = current_schema() AND table_name || '.' || column_name = ?""").param(column).query(Long.class).single())
                    .as(column)
                    .isEqualTo(1);
        }
    }
}

package dev.kindling.assignment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.engine.lifecycle.LifecycleStage;
import dev.kindling.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** The demo's sales team, created in a transaction that is rolled back (the shared database keeps its settings). */
@IntegrationTest
// alone among the shared context's classes: sets round-robin assignment in a transaction it rolls back
@ResourceLock(IntegrationTest.SHARED_DATA)
class DemoTeamIT {

    @Autowired
    DemoTeam demoTeam;

    @Autowired
    AssignmentSettings settings;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transactions;

    @Test
    void theDemoHasAnInsideSalesTeamWithAManagerWhoSignsInAndAssignsMqlsRoundRobinInIt() {
        transactions.executeWithoutResult(tx -> {
            tx.setRollbackOnly();
            assertThat(demoTeam.create()).isTrue();
            assertThat(demoTeam.create()).as("once").isFalse();
            long team = jdbc.sql("SELECT id FROM team WHERE name = 'Inside sales'")
                    .query(Long.class)
                    .single();
            assertThat(jdbc.sql("""
                    SELECT u.email FROM team t JOIN app_user u ON u.id = t.manager_id
                     WHERE t.id = :team AND u.password_hash IS NOT NULL AND u.role = 'INSIDE_SALES'""").param("team", team).query(String.class).single())
                    .isEqualTo("morgan@demo.kindling.local");
            assertThat(jdbc.sql("SELECT count(*) FROM app_user WHERE team_id = :team AND active")
                            .param("team", team)
                            .query(Long.class)
                            .single())
                    .isEqualTo(3);
            assertThat(settings.forStage(LifecycleStage.MQL))
                    .isEqualTo(new AssignmentSettings.Setting(
                            LifecycleStage.MQL, AssignmentSettings.Mode.ROUND_ROBIN, team));
            assertThat(settings.forStage(LifecycleStage.SQL).mode()).isEqualTo(AssignmentSettings.Mode.TERRITORY);
        });
        assertThat(jdbc.sql("SELECT count(*) FROM team WHERE name = 'Inside sales'")
                        .query(Long.class)
                        .single())
                .isZero();
    }
}

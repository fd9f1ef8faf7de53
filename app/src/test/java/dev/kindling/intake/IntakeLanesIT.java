package dev.kindling.intake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.support.IntegrationTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The lanes' claim conditions as PostgreSQL reads them: every queue row is in exactly one lane of any count. */
@IntegrationTest
class IntakeLanesIT {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    IntakeProperties properties;

    @Test
    void everyQueueRowIsInExactlyOneLaneAndTheRowsNamingNoProspectInTheFirst() {
        assertThat(properties.workers()).as("the default").isEqualTo(2);
        for (int count = 1; count <= 4; count++) {
            List<Long> taken = new ArrayList<>();
            for (int index = 0; index < count; index++) {
                IntakeLane lane = new IntakeLane(index, count);
                List<Long> mine = jdbc.sql("SELECT coalesce(prospect_id, -1) FROM unnest(CAST(:ids AS bigint[]))"
                                + " AS activity_queue(prospect_id) WHERE " + lane.condition())
                        .param("ids", new Long[] {null, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 100_000_000_003L})
                        .query(Long.class)
                        .list();
                assertThat(mine.contains(-1L))
                        .as("lane %d of %d takes the unnamed", index, count)
                        .isEqualTo(index == 0);
                assertThat(mine).allMatch(p -> p == -1L || p % lane.count() == lane.index());
                taken.addAll(mine);
            }
            assertThat(taken)
                    .as("each row once, with %d lanes", count)
                    .containsExactlyInAnyOrder(-1L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 100_000_000_003L);
        }
    }
}

package dev.kindling.platform.database;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.support.IntegrationTest;
import dev.kindling.support.PropertyRuns;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** {@link EpochMicros} gives the database the instants a {@code Timestamp[]} of the same instants gave it. */
@IntegrationTest
class EpochMicrosIT {

    @Autowired
    JdbcClient jdbc;

    /** The instants (as text) whose two bindings differ. */
    private List<String> differing(List<Instant> instants) {
        Timestamp[] timestamps =
                instants.stream().map(i -> i == null ? null : Timestamp.from(i)).toArray(Timestamp[]::new);
        Long[] micros = instants.stream().map(EpochMicros::of).toArray(Long[]::new);
        return jdbc.sql("SELECT CAST(u.t AS text) || ' vs ' || CAST(" + EpochMicros.timestamp("u.m") + " AS text)"
                        + " FROM unnest(CAST(:t AS timestamptz[]), CAST(:m AS bigint[])) AS u(t, m)"
                        + " WHERE u.t IS DISTINCT FROM " + EpochMicros.timestamp("u.m"))
                .param("t", timestamps)
                .param("m", micros)
                .query(String.class)
                .list();
    }

    @Test
    void theEdgesOfTheFractionAndTheRangeAreTheTimestampsOwn() {
        List<Instant> instants = new ArrayList<>();
        instants.add(null);
        for (String text : List.of(
                "1970-01-01T00:00:00Z",
                "1969-12-31T23:59:59.999999500Z",
                "1969-12-31T23:59:59.000000500Z",
                "1900-01-01T00:00:00.000001Z",
                "2000-01-01T00:00:00Z",
                "2024-02-29T23:59:59.999999500Z",
                "2024-02-29T23:59:59.999999499Z",
                "2026-12-06T10:15:30.123456500Z",
                "2026-12-06T10:15:30.123457500Z",
                "2026-03-29T01:30:00Z",
                "2026-10-25T01:30:00.5Z",
                "2999-12-31T23:59:59.999999999Z")) {
            instants.add(Instant.parse(text));
        }
        assertThat(differing(instants)).isEmpty();
        assertThat(jdbc.sql("SELECT CAST(" + EpochMicros.timestamp("CAST(:m AS bigint)") + " AS text)")
                        .param("m", EpochMicros.of(Instant.parse("2026-12-06T10:15:30.1234565Z")))
                        .query(String.class)
                        .single())
                .as("the database's own rounding of .1234565: half to even")
                .isEqualTo(jdbc.sql("SELECT CAST(CAST('2026-12-06 10:15:30.1234565+00' AS timestamptz) AS text)")
                        .query(String.class)
                        .single());
    }

    @Test
    void randomInstantsAreTheTimestampsOwn() {
        Random random = new Random(16);
        long from = Instant.parse("1900-01-01T00:00:00Z").getEpochSecond();
        long to = Instant.parse("3000-01-01T00:00:00Z").getEpochSecond();
        for (int round = 0, rounds = PropertyRuns.cases(5, 50); round < rounds; round++) {
            List<Instant> instants = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                long second = from + (long) (random.nextDouble() * (to - from));
                int nano = switch (random.nextInt(4)) {
                    case 0 -> random.nextInt(1_000_000) * 1_000; // whole microseconds, as the clock gives them
                    case 1 -> random.nextInt(1_000_000) * 1_000 + 500; // a half: the rounding's edge
                    case 2 -> random.nextInt(1_000) * 1_000_000;
                    default -> random.nextInt(1_000_000_000);
                };
                instants.add(random.nextInt(50) == 0 ? null : Instant.ofEpochSecond(second, nano));
            }
            assertThat(differing(instants)).isEmpty();
        }
    }
}

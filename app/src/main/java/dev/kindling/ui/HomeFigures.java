package dev.kindling.ui;

import dev.kindling.engine.lifecycle.LifecycleStage;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The few numbers the home page shows, each one small query. */
@Component
class HomeFigures {

    static final Duration RECENT = Duration.ofDays(30);

    /** Prospects in total and per stage (every stage listed, in model order), recent activities, intake backlog. */
    public record Figures(long prospects, Map<String, Long> byStage, long recentActivities, long intakePending) {}

    private final JdbcClient jdbc;
    private final Clock clock;

    HomeFigures(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    Figures current() {
        Map<String, Long> byStage = new LinkedHashMap<>();
        for (LifecycleStage stage : LifecycleStage.values()) {
            if (stage != LifecycleStage.ANONYMOUS) {
                byStage.put(stage.name(), 0L);
            }
        }
        jdbc.sql("SELECT stage, count(*) FROM prospect GROUP BY stage")
                .query((rs, n) -> byStage.put(rs.getString(1), rs.getLong(2)))
                .list();
        long prospects = byStage.values().stream().mapToLong(Long::longValue).sum();
        long recent = jdbc.sql("SELECT count(*) FROM activity WHERE occurred_at >= :since")
                .param("since", Timestamp.from(clock.instant().minus(RECENT)))
                .query(Long.class)
                .single();
        long pending = jdbc.sql("SELECT count(*) FROM activity_queue")
                .query(Long.class)
                .single();
        return new Figures(prospects, byStage, recent, pending);
    }
}

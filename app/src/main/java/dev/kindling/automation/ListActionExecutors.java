package dev.kindling.automation;

import dev.kindling.conditions.ProspectsUpdated;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Add to / remove from a static list: the membership rows and one history event per actual change, reason
 * {@code action:<source>}. A list deleted after the action was saved is skipped (no error: nothing to change).
 */
@Configuration(proxyBeanMethods = false)
class ListActionExecutors {

    @Bean
    ActionExecutor<Action.AddToList> addToListExecutor(JdbcClient jdbc, Clock clock, ApplicationEventPublisher events) {
        return new ActionExecutor<>() {
            public Class<Action.AddToList> kind() {
                return Action.AddToList.class;
            }

            public void execute(Action.AddToList action, List<Long> ids, ActionSource source) {
                Timestamp now = Timestamp.from(clock.instant());
                List<Long> joined = jdbc.sql("""
                                INSERT INTO list_member (list_id, prospect_id, since)
                                SELECT l.id, u.id, :now
                                  FROM list l, unnest(CAST(:ids AS bigint[])) AS u(id)
                                 WHERE l.id = :list AND l.kind = 'STATIC'
                                 ORDER BY u.id
                                ON CONFLICT (list_id, prospect_id) DO NOTHING
                                RETURNING prospect_id""")
                        .param("now", now).param("ids", ids.toArray(Long[]::new)).param("list", action.listId())
                        .query(Long.class).list();
                record(jdbc, action.listId(), joined, now, "JOINED", source);
                if (!joined.isEmpty()) {
                    events.publishEvent(new ProspectsUpdated(new HashSet<>(joined)));
                }
            }
        };
    }

    @Bean
    ActionExecutor<Action.RemoveFromList> removeFromListExecutor(JdbcClient jdbc, Clock clock,
            ApplicationEventPublisher events) {
        return new ActionExecutor<>() {
            public Class<Action.RemoveFromList> kind() {
                return Action.RemoveFromList.class;
            }

            public void execute(Action.RemoveFromList action, List<Long> ids, ActionSource source) {
                Timestamp now = Timestamp.from(clock.instant());
                List<Long> left = jdbc.sql("""
                                DELETE FROM list_member m USING list l
                                 WHERE m.list_id = :list AND l.id = m.list_id AND l.kind = 'STATIC'
                                   AND m.prospect_id = ANY(:ids)
                                RETURNING m.prospect_id""")
                        .param("list", action.listId()).param("ids", ids.toArray(Long[]::new))
                        .query(Long.class).list();
                record(jdbc, action.listId(), left, now, "LEFT", source);
                if (!left.isEmpty()) {
                    events.publishEvent(new ProspectsUpdated(new HashSet<>(left)));
                }
            }
        };
    }

    private static void record(JdbcClient jdbc, long listId, List<Long> ids, Timestamp now, String change,
            ActionSource source) {
        if (ids.isEmpty()) {
            return;
        }
        jdbc.sql("""
                        INSERT INTO list_membership_event (list_id, prospect_id, at, change, reason)
                        SELECT :list, u.id, :now, :change, :reason FROM unnest(CAST(:ids AS bigint[])) AS u(id)
                         ORDER BY u.id""")
                .param("list", listId).param("now", now).param("change", change)
                .param("reason", "action:" + source.cause()).param("ids", ids.toArray(Long[]::new))
                .update();
    }
}

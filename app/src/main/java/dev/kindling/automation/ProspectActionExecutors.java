package dev.kindling.automation;

import dev.kindling.lifecycle.AutomatedStageMoves;
import dev.kindling.prospects.ProspectField;
import dev.kindling.prospects.ProspectsChanged;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Actions on the prospect row: set a field, set do-not-email, change stage. Each is one statement for all prospects;
 * field changes publish {@link ProspectsChanged} (grading re-grades, rules and lists re-evaluate).
 */
@Configuration(proxyBeanMethods = false)
class ProspectActionExecutors {

    @Bean
    ActionExecutor<Action.SetField> setFieldExecutor(JdbcClient jdbc, JsonMapper json, Clock clock,
            ApplicationEventPublisher events) {
        return new ActionExecutor<>() {
            public Class<Action.SetField> kind() {
                return Action.SetField.class;
            }

            public void execute(Action.SetField action, List<Long> ids, ActionSource source) {
                Timestamp now = Timestamp.from(clock.instant());
                Long[] idArray = ids.toArray(Long[]::new);
                if (action.custom()) {
                    String name = action.field().substring("custom.".length());
                    if (action.value() == null) {
                        jdbc.sql("UPDATE prospect SET custom = custom - :key, updated_at = :now WHERE id = ANY(:ids)")
                                .param("key", name).param("now", now).param("ids", idArray).update();
                    } else {
                        jdbc.sql("""
                                        UPDATE prospect SET custom = custom || jsonb_build_object(:key, CAST(:value AS jsonb)),
                                                            updated_at = :now
                                         WHERE id = ANY(:ids)""")
                                .param("key", name).param("value", json.writeValueAsString(action.value()))
                                .param("now", now).param("ids", idArray).update();
                    }
                } else {
                    // the column comes from the ProspectField allow-list, never from the request
                    String column = ProspectField.byJson(action.field()).column();
                    jdbc.sql("UPDATE prospect SET " + column + " = :value, updated_at = :now WHERE id = ANY(:ids)")
                            .param("value", action.value()).param("now", now).param("ids", idArray).update();
                }
                events.publishEvent(new ProspectsChanged(new HashSet<>(ids)));
            }
        };
    }

    @Bean
    ActionExecutor<Action.SetDoNotEmail> doNotEmailExecutor(JdbcClient jdbc, Clock clock,
            ApplicationEventPublisher events) {
        return new ActionExecutor<>() {
            public Class<Action.SetDoNotEmail> kind() {
                return Action.SetDoNotEmail.class;
            }

            public void execute(Action.SetDoNotEmail action, List<Long> ids, ActionSource source) {
                List<Long> changed = jdbc.sql("""
                                UPDATE prospect SET do_not_email = :value, updated_at = :now
                                 WHERE id = ANY(:ids) AND do_not_email <> :value RETURNING id""")
                        .param("value", action.value()).param("now", Timestamp.from(clock.instant()))
                        .param("ids", ids.toArray(Long[]::new))
                        .query(Long.class).list();
                if (!changed.isEmpty()) {
                    events.publishEvent(new ProspectsChanged(new HashSet<>(changed)));
                }
            }
        };
    }

    @Bean
    ActionExecutor<Action.ChangeStage> changeStageExecutor(AutomatedStageMoves moves) {
        return new ActionExecutor<>() {
            public Class<Action.ChangeStage> kind() {
                return Action.ChangeStage.class;
            }

            public void execute(Action.ChangeStage action, List<Long> ids, ActionSource source) {
                moves.move(ids, action.stage(), source.cause());
            }
        };
    }

}

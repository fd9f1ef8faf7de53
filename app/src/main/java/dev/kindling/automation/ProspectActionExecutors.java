package dev.kindling.automation;

import dev.kindling.engine.automation.Action;
import dev.kindling.lifecycle.AutomatedStageMoves;
import dev.kindling.prospects.ProspectField;
import dev.kindling.prospects.ProspectRows;
import dev.kindling.prospects.ProspectsChanged;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/**
 * Actions on the prospect row, through its owners: set a field and set do-not-email ({@link ProspectRows}, one
 * statement for all prospects; the prospects publish {@link ProspectsChanged}, so grading re-grades and rules and
 * lists re-evaluate), change stage (the lifecycle's moves).
 */
@Configuration(proxyBeanMethods = false)
class ProspectActionExecutors {

    @Bean
    ActionExecutor<Action.SetField> setFieldExecutor(ProspectRows rows, JsonMapper json, Clock clock) {
        return new ActionExecutor<>() {
            public Class<Action.SetField> kind() {
                return Action.SetField.class;
            }

            public void execute(Action.SetField action, List<Long> ids, ActionSource source) {
                Instant now = clock.instant();
                if (action.custom()) {
                    String name = action.field().substring("custom.".length());
                    rows.setCustomField(
                            ids, name, action.value() == null ? null : json.writeValueAsString(action.value()), now);
                } else {
                    rows.setField(ids, ProspectField.byJson(action.field()), action.value(), now);
                }
            }
        };
    }

    @Bean
    ActionExecutor<Action.SetDoNotEmail> doNotEmailExecutor(ProspectRows rows, Clock clock) {
        return new ActionExecutor<>() {
            public Class<Action.SetDoNotEmail> kind() {
                return Action.SetDoNotEmail.class;
            }

            public void execute(Action.SetDoNotEmail action, List<Long> ids, ActionSource source) {
                rows.setDoNotEmail(ids, action.value(), clock.instant());
            }

            /**
             * Consecutive calls setting the same value are one statement (the flag ends the same whoever set it):
             * 40 rules unsubscribing the same prospects were 40 updates, 39 of them changing nothing.
             */
            @Override
            public void executeAll(List<Call<Action.SetDoNotEmail>> calls) {
                Boolean value = null;
                java.util.Set<Long> ids = new java.util.TreeSet<>();
                for (Call<Action.SetDoNotEmail> call : calls) {
                    if (value != null && value != call.action().value()) {
                        rows.setDoNotEmail(List.copyOf(ids), value, clock.instant());
                        ids.clear();
                    }
                    value = call.action().value();
                    ids.addAll(call.prospectIds());
                }
                if (value != null && !ids.isEmpty()) {
                    rows.setDoNotEmail(List.copyOf(ids), value, clock.instant());
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
